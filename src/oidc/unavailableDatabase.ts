import type Provider from 'oidc-provider';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/databaseUnavailable.js';

const UNAVAILABLE = Symbol('database unavailable');
const DESCRIPTION = 'the service is temporarily unavailable, try again shortly';

/**
 * oidc-provider answers whatever it cannot do with `server_error` (500). When the cause is the database
 * being down, the answer says so: 503 with Retry-After, `temporarily_unavailable` from the authorization
 * endpoint (RFC 6749 §4.1.2.1), and `server_error` from the others, whose specifications define nothing
 * else (token, userinfo, introspection, revocation, PAR). Pages are rendered by renderError (503, in the
 * person's language); nothing was written, and the pool reconnects by itself once the database is back.
 */
export function answerUnavailableDatabase(provider: Provider): void {
  provider.on('server_error', (ctx, err) => {
    if (isDatabaseUnavailable(err)) (ctx.state as Record<symbol, boolean>)[UNAVAILABLE] = true;
  });
  provider.use(async (ctx, next) => {
    await next();
    if (!(ctx.state as Record<symbol, boolean>)[UNAVAILABLE]) return;
    ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    const body = ctx.body as { error?: unknown; state?: unknown } | undefined;
    if (body && typeof body === 'object' && typeof body.error === 'string') {
      const error = ctx.oidc?.route === 'authorization' ? 'temporarily_unavailable' : 'server_error';
      ctx.status = 503;
      ctx.body = { error, error_description: DESCRIPTION, ...(body.state ? { state: body.state } : {}) };
    }
  });
}
