import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../../test/helpers/testDb.js';
import { createLossReportsRepo, type LossReportsRepo } from './lossReportsRepo.js';

describe.each(ENGINES)('loss reports repository (%s)', (engine) => {
  let tdb: TestDb;
  let repo: LossReportsRepo;
  let now = 1_000;
  beforeAll(async () => {
    tdb = await createTestDb(engine);
    repo = createLossReportsRepo({ db: tdb.db, clock: { now: () => now } });
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  const report = (reference: string, holderNationalId = '1000000008') => ({
    reference,
    reporterSub: 'sub-1',
    clientId: 'loss-report',
    documentType: 'family_record' as const,
    holderNationalId,
    holderName: 'محمد العتيبي',
  });

  it('keeps one active report per document and holder; a withdrawn one makes room for a new one', async () => {
    const first = await repo.insert(report('LR1234567897'));
    expect(first).toMatchObject({ status: 'active', createdAt: 1_000 });
    expect(await repo.insert(report('LR1111111116'))).toBe(false);
    expect(await repo.find('LR1111111116')).toBeUndefined();
    expect((await repo.activeFor('family_record', '1000000008'))?.reference).toBe('LR1234567897');

    now = 2_000;
    expect(await repo.close('LR1234567897', 'withdrawn')).toBe(true);
    expect(await repo.close('LR1234567897', 'replaced')).toBe(false);
    expect(await repo.find('LR1234567897')).toMatchObject({ status: 'withdrawn', updatedAt: 2_000 });
    expect(await repo.activeFor('family_record', '1000000008')).toBeUndefined();
    expect(await repo.insert(report('LR1111111116'))).toMatchObject({ status: 'active' });
    expect((await repo.listFor('sub-1', undefined)).map((r) => r.reference)).toEqual([
      'LR1111111116',
      'LR1234567897',
    ]);
    expect(await repo.listFor('sub-2', undefined)).toEqual([]);
  });

  it('two concurrent reports of the same document: exactly one is recorded', async () => {
    const results = await Promise.all([
      repo.insert(report('LR2222222222', '1045238712')),
      repo.insert(report('LR3333333338', '1045238712')),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
