import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { seeOther } from '../../requestContext.js';

/** POST /interaction/:uid/abort: the person cancels; the client gets access_denied. */
export function abortInteraction(deps: { provider: () => Provider; login: Login }): Middleware {
  return async function abortInteraction(ctx) {
    const provider = deps.provider();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== ctx.params.uid) ctx.throw(400);
    await deps.login.abandon(details.uid);
    const url = await provider.interactionResult(ctx.req, ctx.res, {
      error: 'access_denied',
      error_description: 'the person cancelled the sign-in',
    });
    seeOther(ctx, url);
  };
}
