import type { Middleware } from 'koa';
import { HawiyaError } from '../../../shared/errors.js';
import { describeError } from '../describeError.js';
import type { RpSignInDeps } from '../rpSignInDeps.js';
import { verifyLogoutToken } from '../verifyLogoutToken.js';

/** POST /backchannel-logout: Hawiya says a session ended; every process of the service forgets it. */
export function backchannelLogout(deps: RpSignInDeps): Middleware {
  return async function backchannelLogout(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const token = ((ctx.request.body ?? {}) as Record<string, unknown>).logout_token;
    try {
      if (typeof token !== 'string' || token === '') throw new HawiyaError('invalid_logout_token');
      const target = await verifyLogoutToken({
        token,
        issuer: deps.issuer,
        clientId: deps.descriptor.id,
        jwks: await deps.idp.jwks(),
        now: deps.clock.now(),
      });
      const ended = await deps.sessions.endByLogout(target);
      await deps.endedSessions.record(target);
      deps.logger.info({ ended }, 'back-channel logout');
      ctx.status = 200;
      ctx.body = '';
    } catch (err) {
      deps.logger.warn({ err: describeError(err) }, 'back-channel logout token rejected');
      ctx.status = 400;
      ctx.body = { error: 'invalid_request' };
    }
  };
}
