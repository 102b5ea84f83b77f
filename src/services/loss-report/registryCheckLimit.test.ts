import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../../test/helpers/testDb.js';
import { createRegistryCheckLimit, type RegistryCheckLimit } from './registryCheckLimit.js';

describe.each(ENGINES)('[review R1] per-person registry check limit in the database (%s)', (engine) => {
  let tdb: TestDb;
  let now = 1_200_000; // the start of a ten-minute window
  let limit: RegistryCheckLimit;
  let otherProcess: RegistryCheckLimit;
  beforeAll(async () => {
    tdb = await createTestDb(engine);
    const clock = { now: () => now };
    limit = createRegistryCheckLimit({ db: tdb.db, clock, limit: { limit: 10, windowSeconds: 600 } });
    // A second process: nothing in memory is shared, only the table.
    otherProcess = createRegistryCheckLimit({ db: tdb.db, clock, limit: { limit: 10, windowSeconds: 600 } });
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  it('allows ten concurrent checks across processes, then says how long to wait; another person is unaffected', async () => {
    const results = await Promise.all(
      Array.from({ length: 14 }, (_, i) => (i % 2 ? limit : otherProcess).take('person-a')),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    now += 60_000;
    expect(await limit.take('person-a')).toEqual({ allowed: false, retryAfterSeconds: 540 });
    expect(await otherProcess.take('person-b')).toEqual({ allowed: true });
  });

  it('a new window starts afresh and the old window’s row is removed', async () => {
    now = 1_800_000;
    expect(await limit.take('person-a')).toEqual({ allowed: true });
    const rows = await tdb.db('loss_report_check_counts').where({ reporter_sub: 'person-a' });
    expect(rows.map((r) => [Number(r.window_start), Number(r.count)])).toEqual([[1_800_000, 1]]);
  });
});
