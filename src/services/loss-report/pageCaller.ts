import type { Context } from 'koa';
import { SERVICE_PATHS } from '../../shared/serviceRegistry.js';
import { ApiAuthRefused, type ApiCaller } from '../shared/apiAuth.js';
import { currentSession } from '../shared/middleware/loadSession.js';
import { type LossReportDeps, SCOPES } from './lossReportDeps.js';

/**
 * The signed-in person as the API sees them: the pages authenticate with the session's access token
 * through the very check outside callers meet. Undefined (after a redirect to sign in) when there is no
 * session or Hawiya no longer renews its token.
 */
export async function pageCaller(
  deps: LossReportDeps,
  ctx: Context,
  opts: { redirect: boolean } = { redirect: true },
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
        method: ctx.method,
        url: `${deps.baseUrl}${SERVICE_PATHS.api}/reports`,
      },
      SCOPES.person,
    );
  } catch (err) {
    if (err instanceof ApiAuthRefused) return signIn();
    throw err;
  }
}

export { checkFormCsrf } from '../shared/formCsrf.js';
