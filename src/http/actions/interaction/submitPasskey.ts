import type { Middleware } from 'koa';
import type { Login } from '../../../accounts/login/createLogin.js';
import { field, localeOf, metaOf } from '../../requestContext.js';
import { clientDisplay } from './clientDisplay.js';
import { type CompleteLoginDeps, completeLogin } from './completeLogin.js';
import { interactionOf } from './interactionOf.js';

/**
 * POST /interaction/:uid/passkey: the browser's answer to the challenge (a hidden field filled by
 * passkey-login.js). It completes the login alone, or in place of the code after a password.
 */
export function submitPasskey(deps: CompleteLoginDeps & { login: Login }): Middleware {
  return async function submitPasskey(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    const client = await clientDisplay(deps.provider(), details.params, localeOf(ctx));
    const login = await deps.login.verifyPasskey({
      uid: details.uid,
      response: field(ctx, 'response', 16_000),
      clientId: String(details.params.client_id ?? ''),
      required: client.requiredAcr,
      meta: metaOf(ctx),
    });
    await completeLogin(deps, ctx, login);
  };
}
