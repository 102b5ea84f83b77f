import type { Middleware } from 'koa';
import type { Registration } from '../../../accounts/registration/index.js';
import { type FlowCookie, localeOf, metaOf, seeOther } from '../../requestContext.js';

/** POST /register/resend: a new activation code, to the same registry mobile, after the wait. */
export function resendActivation(deps: {
  registration: Registration;
  registerCookie: FlowCookie;
}): Middleware {
  return async function resendActivation(ctx) {
    await deps.registration.resend({
      handle: deps.registerCookie.get(ctx),
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    seeOther(ctx, '/register/activate?resent=1');
  };
}
