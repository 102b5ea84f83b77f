import type { Context } from 'koa';
import { SERVICE_PATHS } from '../../shared/serviceRegistry.js';
import { type ApiAuth, ApiAuthRefused, type ApiCaller } from './apiAuth.js';
import { currentSession } from './middleware/loadSession.js';

/**
 * The signed-in person as the service's API sees them: a page authenticates with the session's access
 * token through the very check outside callers meet. Undefined (after a redirect to sign in, unless told
 * not to) when there is no session, Hawiya no longer renews its token, or the token is refused.
 */
export async function sessionApiCaller(
  deps: { apiToken(ctx: Context): Promise<string | undefined>; apiAuth: ApiAuth; baseUrl: string },
  ctx: Context,
  opts: { scope: string; path: string; method?: string; redirect: boolean },
): Promise<ApiCaller | undefined> {
  const signIn = () => {
    if (!opts.redirect) return undefined;
    ctx.status = 303;
    ctx.redirect(SERVICE_PATHS.login);
    return undefined;
  };
  if (!currentSession(ctx)) return signIn();
  const token = await deps.apiToken(ctx);
  if (!token) return signIn();
  try {
    return await deps.apiAuth.authenticate(
      {
        authorization: `Bearer ${token}`,
        dpop: undefined,
        method: opts.method ?? ctx.method,
        url: `${deps.baseUrl}${opts.path}`,
      },
      opts.scope,
    );
  } catch (err) {
    if (err instanceof ApiAuthRefused) return signIn();
    throw err;
  }
}
