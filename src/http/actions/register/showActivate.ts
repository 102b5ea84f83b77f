import type { Middleware } from 'koa';
import type { Registration } from '../../../accounts/registration/index.js';
import { translate } from '../../../i18n/messages.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { type FlowCookie, localeOf } from '../../requestContext.js';

type ActivateDeps = { registration: Registration; registerCookie: FlowCookie; render: Renderer };

/** The activation code page of this browser's registration (FlowExpired once it has ended). */
export function activatePage(deps: ActivateDeps): FormPage {
  return async function activatePage(ctx, shown, status = 200) {
    const locale = localeOf(ctx);
    const state = await deps.registration.state(deps.registerCookie.get(ctx));
    deps.render(
      ctx,
      'code',
      {
        title: translate(locale, 'activate.title'),
        sentText: translate(locale, 'activate.sent'),
        long: state.long,
        action: '/register/activate',
        resendAction: '/register/resend',
        submitText: translate(locale, 'activate.submit'),
        ...shown,
      },
      status,
    );
  };
}

/** GET /register/activate */
export function showActivate(deps: ActivateDeps): Middleware {
  const page = activatePage(deps);
  return async function showActivate(ctx) {
    await page(ctx, ctx.query.resent === '1' ? { notice: translate(localeOf(ctx), 'otp.resent') } : {});
  };
}
