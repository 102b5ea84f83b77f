import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { normalizeDigits } from '../../../registry/index.js';
import { field, metaOf, seeOther } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/** POST /interaction/:uid/app: the code the authenticator app shows; it works once (checklist 9). */
export function submitAppCode(deps: { provider: () => Provider; login: Login }): Middleware {
  return async function submitAppCode(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    const login = await deps.login.verifyApp({
      uid: details.uid,
      code: normalizeDigits(field(ctx, 'code', 20)).replace(/\s/g, ''),
      clientId: String(details.params.client_id ?? ''),
      meta: metaOf(ctx),
    });
    const url = await deps
      .provider()
      .interactionResult(
        ctx.req,
        ctx.res,
        { login: { accountId: login.accountId, acr: login.acr, amr: login.amr, remember: true } },
        { mergeWithLastSubmission: false },
      );
    seeOther(ctx, url);
  };
}
