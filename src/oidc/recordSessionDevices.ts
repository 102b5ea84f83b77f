import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SessionDevicesRepo } from './sessionDevicesRepo.js';

/**
 * After each authorization request answered with a signed-in session (a sign-in, or a service reusing the
 * session), notes the device and IP it came from and when: the security page's list of signed-in devices.
 */
export function recordSessionDevices(deps: { repo: SessionDevicesRepo; clock: Clock; logger: Logger }) {
  return async function recordSessionDevices(ctx: KoaContextWithOIDC, next: () => Promise<void>) {
    await next();
    const route = ctx.oidc?.route;
    if (route !== 'authorization' && route !== 'resume') return;
    const session = ctx.oidc.session;
    if (!session?.accountId || !session.uid) return;
    try {
      await deps.repo.seen({
        sessionUid: session.uid,
        accountId: session.accountId,
        ip: ctx.ip,
        userAgent: ctx.get('User-Agent') || null,
        lastSeenAt: deps.clock.now(),
      });
    } catch (err) {
      deps.logger.error({ err }, 'a session device could not be recorded');
    }
  };
}
