import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/** POST /interaction/:uid/otp/resend: a new code by SMS, or by e-mail when the person chooses it. */
export function resendOtp(deps: { provider: () => Provider; login: Login }): Middleware {
  return async function resendOtp(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    await deps.login.resendCode({
      uid: details.uid,
      channel: field(ctx, 'channel', 10),
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    seeOther(ctx, `/interaction/${details.uid}/otp?resent=1`);
  };
}
