import type { Middleware } from 'koa';
import type { Registration } from '../../../accounts/registration/index.js';
import { pageText } from '../../../i18n/messages.js';
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
        title: pageText(locale, 'activate.title'),
        sentText: pageText(locale, 'activate.sent'),
        long: state.long,
        action: '/register/activate',
        resendAction: '/register/resend',
        submitText: pageText(locale, 'activate.submit'),
        codeLabel: pageText(locale, 'activate.code'),
        startAgain: {
          href: state.returnTo
            ? `/register?interaction=${state.returnTo.slice('/interaction/'.length)}`
            : '/register',
          text: pageText(locale, 'register.startAgain'),
        },
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
    await page(ctx, ctx.query.resent === '1' ? { notice: pageText(localeOf(ctx), 'otp.resent') } : {});
  };
}
