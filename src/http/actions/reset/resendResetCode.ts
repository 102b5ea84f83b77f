import type { Middleware } from 'koa';
import type { PasswordReset } from '../../../accounts/passwordReset/index.js';
import { type FlowCookie, localeOf, metaOf, seeOther } from '../../requestContext.js';

/** POST /reset/resend */
export function resendResetCode(deps: { passwordReset: PasswordReset; resetCookie: FlowCookie }): Middleware {
  return async function resendResetCode(ctx) {
    await deps.passwordReset.resend({
      handle: deps.resetCookie.get(ctx),
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    seeOther(ctx, '/reset/code?resent=1');
  };
}
