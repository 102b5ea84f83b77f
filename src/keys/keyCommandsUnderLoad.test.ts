import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { startWriteLoad, type WriteLoad } from '../../test/helpers/writeLoad.js';
import { createAudit } from '../shared/audit.js';
import { fakeClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { PREVIOUS_KEY_GRACE_MS } from './keyLifecycle.js';
import { createKeyStore } from './keyStore.js';

// Every key command reads the key states, then writes them, in one transaction. On SQLite a transaction that
// began with a plain BEGIN and read before another connection committed cannot write at all
// (SQLITE_BUSY_SNAPSHOT, whatever the busy timeout): with a server writing all the time, `keys rotate`
// failed on most tries. Here a second connection commits read-then-write transactions as fast as it can
// while every key command runs, many times, and every one of them must succeed.
describe.each(ENGINES)('key commands under write load (%s)', (engine) => {
  let t: TestDb;
  let dir: string;
  let load: WriteLoad | undefined;
  const clock = fakeClock(1_800_000_000_000);

  beforeEach(async () => {
    t = await createTestDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'hawiya-keys-load-'));
  });
  afterEach(async () => {
    await load?.stop();
    await t.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rotate, rotate --now, retire and prune all succeed while another connection keeps writing', async () => {
    const store = createKeyStore({
      db: t.db,
      dir,
      clock,
      audit: createAudit({ db: t.db, logger: createLogger({ level: 'silent' }), clock }),
    });
    await store.ensureKeys();
    load = await startWriteLoad(engine, t.url);
    const failures: string[] = [];
    const attempt = async (what: string, run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (err) {
        failures.push(`${what}: ${(err as Error).message}`);
      }
    };
    for (let i = 0; i < 15; i++) {
      await attempt(`rotate ${i}`, () => store.rotate({ actor: 'test' }));
      clock.advance(1000);
    }
    for (let i = 0; i < 3; i++) {
      await attempt(`rotate --now ${i}`, () => store.rotate({ actor: 'test', immediate: true }));
    }
    const previous = (await store.repo.list()).filter((k) => k.state === 'previous');
    await attempt('retire', () => store.retire(previous[0]?.kid ?? 'none', { actor: 'test' }));
    clock.advance(PREVIOUS_KEY_GRACE_MS + 1000);
    await attempt('prune', () => store.prune({ actor: 'test' }));
    const writes = await load.stop();
    load = undefined;

    expect(failures).toEqual([]);
    // The load was real: the other connection committed all along.
    expect(writes).toBeGreaterThan(50);
    const states = (await store.repo.list()).map((k) => k.state);
    expect(states.filter((s) => s === 'previous')).toEqual([]);
    expect(states.filter((s) => s === 'current')).toHaveLength(2);
  });
});
