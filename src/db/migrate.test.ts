import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { migrateLatest, migrationStatus } from './migrate.js';

describe.each(ENGINES)('migrations on %s', (engine) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.destroy();
  });

  it('applies every migration once and leaves none pending', async () => {
    t = await createTestDb(engine);
    const status = await migrationStatus(t.db);
    expect(status.pending).toEqual([]);
    expect(status.done).toContain('20261125000100_registry_persons');
    expect(await migrateLatest(t.db)).toEqual([]);
    for (const table of ['registry_persons', 'accounts', 'otp_codes', 'oidc_payloads', 'signing_keys']) {
      expect(await t.db.schema.hasTable(table)).toBe(true);
    }
  });
});
