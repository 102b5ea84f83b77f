import type { Middleware } from 'koa';
import type { PasswordReset } from '../../../accounts/passwordReset/index.js';
import { type FlowCookie, field, localeOf, metaOf, seeOther } from '../../requestContext.js';

/** POST /reset/password: the new password; every session and refresh token of the person ends. */
export function submitResetPassword(deps: {
  passwordReset: PasswordReset;
  resetCookie: FlowCookie;
}): Middleware {
  return async function submitResetPassword(ctx) {
    const { returnTo } = await deps.passwordReset.complete({
      handle: deps.resetCookie.get(ctx),
      password: field(ctx, 'password'),
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    deps.resetCookie.clear(ctx);
    const uid = returnTo?.slice('/interaction/'.length);
    seeOther(ctx, uid ? `/reset/done?interaction=${uid}` : '/reset/done');
  };
}
