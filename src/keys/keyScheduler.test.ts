import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { createDb, type Db } from '../db/createDb.js';
import { createAudit } from '../shared/audit.js';
import { fakeClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { PREVIOUS_KEY_GRACE_MS } from './keyLifecycle.js';
import { PUBLISH_AHEAD_MS } from './keySchedule.js';
import { createKeyScheduler, KEY_SCHEDULE_ACTOR } from './keyScheduler.js';
import { createKeyStore } from './keyStore.js';
import { createScheduleLeasesRepo } from './scheduleLeasesRepo.js';

const DAY = 24 * 60 * 60 * 1000;
const EVERY = 30 * DAY;
const MIN_PUBLISH = 15 * 60_000;
const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const publicOnly = (jwks: { keys: JWK[] }) => ({
  keys: jwks.keys.map((k) => Object.fromEntries(Object.entries(k).filter(([n]) => !PRIVATE.includes(n)))),
});

// Two nodes (each its own connection to one database, one key folder, one clock) run the schedule at the
// same moments, as every node of a deployment does. Each step must happen exactly once.
describe.each(ENGINES)('automatic key rotation across nodes (%s)', (engine) => {
  let t: TestDb;
  let dir: string;
  let otherDb: Db;
  const T0 = 1_800_000_000_000;
  let clock = fakeClock(T0);

  beforeEach(async () => {
    clock = fakeClock(T0);
    t = await createTestDb(engine);
    otherDb = createDb(t.url);
    dir = mkdtempSync(join(tmpdir(), 'hawiya-key-schedule-'));
  });
  afterEach(async () => {
    await otherDb.destroy();
    await t.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const node = (db: Db, holder: string) => {
    const keyStore = createKeyStore({
      db,
      dir,
      clock,
      minPublishMs: MIN_PUBLISH,
      audit: createAudit({ db, logger: createLogger({ level: 'silent' }), clock }),
    });
    const scheduler = createKeyScheduler({
      keyStore,
      leases: createScheduleLeasesRepo(db),
      clock,
      everyMs: EVERY,
      minPublishMs: MIN_PUBLISH,
      holder,
    });
    return { keyStore, scheduler };
  };
  // As a first start makes them (ensureKeys), with EdDSA for RS256, whose keys take long to generate: a
  // current and a next ES256 key, a current EdDSA key with no next.
  const firstKeys = async (keyStore: ReturnType<typeof createKeyStore>) => {
    await keyStore.create('ES256', 'current');
    await keyStore.create('ES256', 'next');
    await keyStore.create('EdDSA', 'current');
  };

  it('publishes the next key ahead, then activates it on schedule, each once; the old key verifies until retired', async () => {
    const a = node(t.db, 'node-a');
    const b = node(otherDb, 'node-b');
    await firstKeys(a.keyStore);
    const keys = () => a.keyStore.repo.list();
    const kidsIn = async (alg: string, state: string) =>
      (await keys()).filter((k) => k.alg === alg && k.state === state).map((k) => k.kid);
    const bothTick = async () => {
      const done = [];
      // Several rounds of both nodes at once: a step done in one round must not be redone in the next.
      for (let i = 0; i < 3; i++)
        done.push(...(await Promise.all([a.scheduler.tick(), b.scheduler.tick()])).flat());
      return done.map((s) => `${s.step} ${s.alg}`).sort();
    };
    const rotations = async () =>
      (await t.db('audit_events').where({ event: 'key_rotated' }).select('actor')).map((r) => r.actor);

    // What keys list shows: the EdDSA key (none published ahead at first start) gets a next key a day
    // before its period ends; the ES256 next key starts signing when the period ends.
    const upcoming = await a.scheduler.upcoming();
    expect(upcoming.map((s) => [s.step, s.alg, s.at])).toEqual([
      ['publish', 'EdDSA', T0 + EVERY - PUBLISH_AHEAD_MS],
      ['rotate', 'ES256', T0 + EVERY],
    ]);

    clock.advance(EVERY - PUBLISH_AHEAD_MS - 1);
    expect(await bothTick()).toEqual([]);

    // A token the old ES256 key signs before the rotation.
    const [oldKid] = await kidsIn('ES256', 'current');
    const oldJwk = a.keyStore.files.read(oldKid as string);
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256', kid: oldKid })
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .sign(await importJWK(oldJwk, 'ES256'));
    const verifies = async () =>
      jwtVerify(token, createLocalJWKSet(publicOnly(await a.keyStore.loadJwks())), {
        currentDate: new Date(clock.now()),
      }).then(
        () => true,
        () => false,
      );

    clock.advance(1);
    expect(await bothTick()).toEqual(['publish EdDSA']);
    expect(await kidsIn('EdDSA', 'next')).toHaveLength(1);
    const [esNext] = await kidsIn('ES256', 'next');

    clock.advance(PUBLISH_AHEAD_MS - 1);
    expect(await bothTick()).toEqual([]);
    clock.advance(1);
    expect(await bothTick()).toEqual(['rotate ES256', 'rotate EdDSA']);
    expect(await kidsIn('ES256', 'current')).toEqual([esNext]);
    expect(await kidsIn('ES256', 'previous')).toEqual([oldKid]);
    expect(await kidsIn('EdDSA', 'previous')).toHaveLength(1);
    // publish EdDSA, rotate ES256, rotate EdDSA: the same audited operation as `keys rotate`.
    expect(await rotations()).toEqual([KEY_SCHEDULE_ACTOR, KEY_SCHEDULE_ACTOR, KEY_SCHEDULE_ACTOR]);
    expect(await verifies()).toBe(true);

    clock.advance(PREVIOUS_KEY_GRACE_MS - 1);
    expect(await bothTick()).toEqual([]);
    expect(await verifies()).toBe(true);
    clock.advance(1);
    expect(await bothTick()).toEqual(['retire ES256', 'retire EdDSA']);
    expect(await kidsIn('ES256', 'retired')).toEqual([oldKid]);
    expect(await verifies()).toBe(false);
    const pruned = await t.db('audit_events').where({ event: 'key_pruned' }).select('actor');
    expect(pruned.map((r) => r.actor)).toEqual([KEY_SCHEDULE_ACTOR, KEY_SCHEDULE_ACTOR]);
    expect(await kidsIn('EdDSA', 'retired')).toHaveLength(1);
  });

  it('a node that dies holding the lease delays the schedule, it does not stop it', async () => {
    const a = node(t.db, 'node-a');
    await firstKeys(a.keyStore);
    const leases = createScheduleLeasesRepo(otherDb);
    clock.advance(EVERY);
    expect(
      await leases.acquire({ name: 'key_schedule', holder: 'dead-node', now: clock.now(), ttlMs: 60_000 }),
    ).toBe(true);
    // The dead node's lease runs for another 60 s of this clock, then node A takes over.
    expect(await a.scheduler.tick()).toEqual([]);
    clock.advance(60_000);
    expect((await a.scheduler.tick()).map((s) => s.step).sort()).toEqual(['publish', 'rotate']);
  });
});
