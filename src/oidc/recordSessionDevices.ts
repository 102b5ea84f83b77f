import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { createRecentNotes } from './recentNotes.js';
import type { SessionDevicesRepo } from './sessionDevicesRepo.js';

/**
 * A use of a session from the same device and IP as one this node noted this long ago or less is not
 * noted again: the page shows the time to the minute, and a login's second resume (after the consent
 * page, seconds after the first) would otherwise write the same row again.
 */
export const REPEATED_DEVICE_MS = 60 * 1000;
const REMEMBERED_SESSIONS = 10_000;

/**
 * After each authorization request answered with a signed-in session (a sign-in, or a service reusing the
 * session), notes the device and IP it came from and when: the security page's list of signed-in devices.
 * Written with the answer's other writes (holdAuthorizationWrites); never fails the answer.
 */
export function recordSessionDevices(deps: { repo: SessionDevicesRepo; clock: Clock; logger: Logger }) {
  // what was last noted for each session, and when
  const noted = createRecentNotes({ withinMs: REPEATED_DEVICE_MS, max: REMEMBERED_SESSIONS });
  const failed = (err: unknown) => deps.logger.error({ err }, 'a session device could not be recorded');

  return async function recordSessionDevices(ctx: KoaContextWithOIDC, next: () => Promise<void>) {
    await next();
    const route = ctx.oidc?.route;
    if (route !== 'authorization' && route !== 'resume') return;
    const session = ctx.oidc.session;
    if (!session?.accountId || !session.uid) return;
    const at = deps.clock.now();
    const userAgent = ctx.get('User-Agent') || null;
    const device = JSON.stringify([session.accountId, ctx.ip, userAgent]);
    if (noted.repeats(session.uid, device, at)) return;
    noted.note(session.uid, device, at);
    await deps.repo.seen(
      { sessionUid: session.uid, accountId: session.accountId, ip: ctx.ip, userAgent, lastSeenAt: at },
      (err) => {
        // not written: the next use notes it again
        noted.forget(session.uid);
        failed(err);
      },
    );
  };
}
