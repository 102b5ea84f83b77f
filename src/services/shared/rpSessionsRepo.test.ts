import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../../test/helpers/testDb.js';
import { fakeClock } from '../../shared/clock.js';
import { createRpSessions } from './rpSessionsRepo.js';

const data = (sid: string, sub = 'citizen-1') => ({
  idToken: 'h.p.s',
  sub,
  sid,
  nameAr: 'سارة',
  nameEn: 'Sara',
  nationalId: '1234567008',
});

describe.each(ENGINES)('createRpSessions on %s', (engine) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.destroy();
    t = undefined;
  });
  const sessionsOf = async (opts: { clock?: ReturnType<typeof fakeClock>; maxSessions?: number } = {}) => {
    t ??= await createTestDb(engine);
    return createRpSessions({ db: t.db, clock: opts.clock ?? fakeClock(), service: 'loss-report', ...opts });
  };

  it('[checklist 18] gives each session a fresh 256-bit opaque id and its own CSRF token', async () => {
    const sessions = await sessionsOf();
    const a = await sessions.create(data('s1'));
    const b = await sessions.create(data('s1'));
    expect(a.id).not.toBe(b.id);
    expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
    expect(a.id).not.toContain('1234567008');
    expect(a.session.csrf).not.toBe(b.session.csrf);
    expect((await sessions.get(a.id))?.nameEn).toBe('Sara');
  });

  it('[checklist 18] stores only a hash of the session id: a copy of the table gives no live cookie', async () => {
    const sessions = await sessionsOf();
    const { id } = await sessions.create(data('s1'));
    const rows = await t!.db('service_sessions').select('id');
    expect(rows).toHaveLength(1);
    const stored = String(rows[0]?.id);
    expect(stored).not.toBe(id);
    expect(JSON.stringify(await t!.db('service_sessions').select())).not.toContain(id);
    expect(await sessions.get(stored)).toBeUndefined();
    expect(await sessions.get(id)).toBeDefined();
  });

  it('[checklist 29] one renewal per session at a time, across processes: the claim is one conditional update, released or expired', async () => {
    const clock = fakeClock();
    const sessions = await sessionsOf({ clock });
    const { id } = await sessions.create(data('s1'));
    // Another process of the service: its own repository over the same database.
    const other = createRpSessions({ db: t!.db, clock, service: 'loss-report' });
    const claims = await Promise.all([
      sessions.claimRenewal(id, 30_000),
      other.claimRenewal(id, 30_000),
      other.claimRenewal(id, 30_000),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    await sessions.releaseRenewal(id);
    expect(await other.claimRenewal(id, 30_000)).toBe(true);
    // A process that died holding it: the claim lapses.
    clock.advance(30_001);
    expect(await sessions.claimRenewal(id, 30_000)).toBe(true);
    expect(await sessions.claimRenewal('no-such-session', 30_000)).toBe(false);
  });

  it('a session of one service is not a session of another on the same database', async () => {
    const sessions = await sessionsOf();
    const { id } = await sessions.create(data('s1'));
    const other = createRpSessions({ db: t!.db, clock: fakeClock(), service: 'replacement' });
    expect(await other.get(id)).toBeUndefined();
    expect(await other.endByLogout({ sid: 's1' })).toBe(0);
    expect(await sessions.get(id)).toBeDefined();
  });

  it('[checklist 17] ends a session after an hour without activity, and activity keeps it alive', async () => {
    const clock = fakeClock();
    const sessions = await sessionsOf({ clock });
    const idle = (await sessions.create(data('s1'))).id;
    const active = (await sessions.create(data('s2'))).id;
    clock.advance(40 * 60_000);
    expect(await sessions.get(active)).toBeDefined();
    clock.advance(21 * 60_000);
    expect(await sessions.get(idle)).toBeUndefined();
    expect(await sessions.get(active)).toBeDefined();
  });

  it('[checklist 17] ends a session after 24 hours even when active', async () => {
    const clock = fakeClock();
    const sessions = await sessionsOf({ clock });
    const { id } = await sessions.create(data('s1'));
    for (let h = 0; h < 24; h++) {
      clock.advance(50 * 60_000);
      await sessions.get(id);
    }
    expect(await sessions.get(id)).toBeDefined();
    clock.advance(5 * 3600_000 - 60_000);
    await sessions.get(id);
    clock.advance(2 * 60_000);
    expect(await sessions.get(id)).toBeUndefined();
  });

  it('evicts the least recently used session beyond the cap', async () => {
    const clock = fakeClock();
    const sessions = await sessionsOf({ clock, maxSessions: 3 });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      ids.push((await sessions.create(data(`s${n}`))).id);
      clock.advance(1);
    }
    await sessions.get(ids[0]!);
    clock.advance(1);
    const fourth = (await sessions.create(data('s4'))).id;
    expect(await sessions.count()).toBe(3);
    expect(await sessions.get(ids[1]!)).toBeUndefined();
    expect(await sessions.get(ids[0]!)).toBeDefined();
    expect(await sessions.get(fourth)).toBeDefined();
  });

  it('[checklist 19] back-channel logout ends the sessions of that sid, or every session of that sub', async () => {
    const sessions = await sessionsOf();
    const a = (await sessions.create(data('s1', 'c1'))).id;
    const b = (await sessions.create(data('s2', 'c1'))).id;
    const c = (await sessions.create(data('s3', 'c2'))).id;
    expect(await sessions.endByLogout({ sid: 's1', sub: 'c1' })).toBe(1);
    expect(await sessions.get(a)).toBeUndefined();
    expect(await sessions.get(b)).toBeDefined();
    expect(await sessions.endByLogout({ sid: 's3', sub: 'c1' })).toBe(0);
    expect(await sessions.endByLogout({ sub: 'c1' })).toBe(1);
    expect(await sessions.get(b)).toBeUndefined();
    expect(await sessions.get(c)).toBeDefined();
    expect(await sessions.endByLogout({})).toBe(0);
  });

  it('purges expired sessions and keeps live ones', async () => {
    const clock = fakeClock();
    const sessions = await sessionsOf({ clock });
    await sessions.create(data('s1'));
    clock.advance(30 * 60_000);
    const live = (await sessions.create(data('s2'))).id;
    clock.advance(31 * 60_000);
    expect(await sessions.purgeExpired()).toBe(1);
    expect(await sessions.count()).toBe(1);
    expect(await sessions.get(live)).toBeDefined();
  });
});
