import type { KoaContextWithOIDC } from 'oidc-provider';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../shared/logger.js';
import { REPEATED_DEVICE_MS, recordSessionDevices } from './recordSessionDevices.js';
import type { SessionDevice, SessionDevicesRepo } from './sessionDevicesRepo.js';

function setup() {
  let now = 1_700_000_000_000;
  const noted: (SessionDevice & { accountId: string })[] = [];
  const repo = {
    seen: async (d: SessionDevice & { accountId: string }) => void noted.push(d),
  } as unknown as SessionDevicesRepo;
  const record = recordSessionDevices({
    repo,
    clock: { now: () => now },
    logger: createLogger({ level: 'silent' }),
  });
  const use = (o: { uid?: string; ip?: string; userAgent?: string; route?: string } = {}) =>
    record(
      {
        ip: o.ip ?? '192.0.2.1',
        get: (h: string) => (h === 'User-Agent' ? (o.userAgent ?? 'Firefox') : ''),
        oidc: { route: o.route ?? 'resume', session: { accountId: 'acct-1', uid: o.uid ?? 'session-1' } },
      } as unknown as KoaContextWithOIDC,
      async () => undefined,
    );
  return { noted, use, later: (ms: number) => (now += ms) };
}

describe('the signed-in devices list (security page)', () => {
  it('notes a use of a session with its IP, device and time', async () => {
    const s = setup();
    await s.use({ route: 'authorization' });
    expect(s.noted).toEqual([
      {
        sessionUid: 'session-1',
        accountId: 'acct-1',
        ip: '192.0.2.1',
        userAgent: 'Firefox',
        lastSeenAt: 1_700_000_000_000,
      },
    ]);
  });

  it("a login's second resume, seconds after the first from the same device and IP, is not noted again", async () => {
    const s = setup();
    await s.use();
    s.later(5_000);
    await s.use();
    expect(s.noted).toHaveLength(1);
  });

  it('a use from another IP or device, another session, or once the minute has passed is noted', async () => {
    const s = setup();
    await s.use();
    await s.use({ ip: '198.51.100.7' });
    await s.use({ ip: '198.51.100.7', userAgent: 'Chrome' });
    await s.use({ uid: 'session-2', ip: '198.51.100.7', userAgent: 'Chrome' });
    s.later(REPEATED_DEVICE_MS);
    await s.use({ uid: 'session-2', ip: '198.51.100.7', userAgent: 'Chrome' });
    expect(s.noted.map((d) => [d.sessionUid, d.ip, d.userAgent])).toEqual([
      ['session-1', '192.0.2.1', 'Firefox'],
      ['session-1', '198.51.100.7', 'Firefox'],
      ['session-1', '198.51.100.7', 'Chrome'],
      ['session-2', '198.51.100.7', 'Chrome'],
      ['session-2', '198.51.100.7', 'Chrome'],
    ]);
  });

  it('only authorization answers with a signed-in session are noted', async () => {
    const s = setup();
    await s.use({ route: 'userinfo' });
    expect(s.noted).toEqual([]);
  });
});
