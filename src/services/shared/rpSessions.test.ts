import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../shared/clock.js';
import { createRpSessions } from './rpSessions.js';

const data = (sid: string, sub = 'citizen-1') => ({
  idToken: 'h.p.s',
  sub,
  sid,
  nameAr: 'سارة',
  nameEn: 'Sara',
  nationalId: '1234567008',
});

describe('createRpSessions', () => {
  it('[checklist 18] gives each session a fresh 256-bit opaque id and its own CSRF token', () => {
    const sessions = createRpSessions({ clock: fakeClock() });
    const a = sessions.create(data('s1'));
    const b = sessions.create(data('s1'));
    expect(a.id).not.toBe(b.id);
    expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
    expect(a.id).not.toContain('1234567008');
    expect(a.session.csrf).not.toBe(b.session.csrf);
    expect(sessions.get(a.id)?.nameEn).toBe('Sara');
  });

  it('[checklist 17] ends a session after an hour without activity, and activity keeps it alive', () => {
    const clock = fakeClock();
    const sessions = createRpSessions({ clock });
    const idle = sessions.create(data('s1')).id;
    const active = sessions.create(data('s2')).id;
    clock.advance(40 * 60_000);
    expect(sessions.get(active)).toBeDefined();
    clock.advance(21 * 60_000);
    expect(sessions.get(idle)).toBeUndefined();
    expect(sessions.get(active)).toBeDefined();
  });

  it('[checklist 17] ends a session after 24 hours even when active', () => {
    const clock = fakeClock();
    const sessions = createRpSessions({ clock });
    const { id } = sessions.create(data('s1'));
    for (let h = 0; h < 24; h++) {
      clock.advance(50 * 60_000);
      sessions.get(id);
    }
    expect(sessions.get(id)).toBeDefined();
    clock.advance(5 * 3600_000 - 60_000);
    sessions.get(id);
    clock.advance(2 * 60_000);
    expect(sessions.get(id)).toBeUndefined();
  });

  it('evicts the least recently used session beyond the cap', () => {
    const sessions = createRpSessions({ clock: fakeClock(), maxSessions: 3 });
    const ids = [1, 2, 3].map((n) => sessions.create(data(`s${n}`)).id);
    sessions.get(ids[0]!);
    const fourth = sessions.create(data('s4')).id;
    expect(sessions.size).toBe(3);
    expect(sessions.get(ids[1]!)).toBeUndefined();
    expect(sessions.get(ids[0]!)).toBeDefined();
    expect(sessions.get(fourth)).toBeDefined();
  });

  it('[checklist 19] back-channel logout ends the sessions of that sid, or every session of that sub', () => {
    const sessions = createRpSessions({ clock: fakeClock() });
    const a = sessions.create(data('s1', 'c1')).id;
    const b = sessions.create(data('s2', 'c1')).id;
    const c = sessions.create(data('s3', 'c2')).id;
    expect(sessions.endByLogout({ sid: 's1', sub: 'c1' })).toBe(1);
    expect(sessions.get(a)).toBeUndefined();
    expect(sessions.get(b)).toBeDefined();
    expect(sessions.endByLogout({ sid: 's3', sub: 'c1' })).toBe(0);
    expect(sessions.endByLogout({ sub: 'c1' })).toBe(1);
    expect(sessions.get(b)).toBeUndefined();
    expect(sessions.get(c)).toBeDefined();
    expect(sessions.endByLogout({})).toBe(0);
  });
});
