import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/** POST /interaction/:uid/recovery: a saved recovery code; used once, audited and told (checklist 23). */
export function submitRecoveryCode(deps: { provider: () => Provider; login: Login }): Middleware {
  return async function submitRecoveryCode(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    const login = await deps.login.verifyRecoveryCode({
      uid: details.uid,
      code: field(ctx, 'code', 64),
      clientId: String(details.params.client_id ?? ''),
      locale: localeOf(ctx),
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
