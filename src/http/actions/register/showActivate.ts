import type { Context, Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf } from '../../requestContext.js';

export async function renderActivate(
  deps: IdpDeps,
  ctx: Context,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const locale = localeOf(ctx);
  const state = await deps.accounts.registration.state(deps.registerCookie.get(ctx));
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
      ...extra,
    },
    status,
  );
}

/** GET /register/activate */
export function showActivate(deps: IdpDeps): Middleware {
  return async function showActivate(ctx) {
    await renderActivate(
      deps,
      ctx,
      ctx.query.resent === '1' ? { notice: translate(localeOf(ctx), 'otp.resent') } : {},
    );
  };
}
