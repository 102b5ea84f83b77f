import type { Context, Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf } from '../../requestContext.js';

export async function renderResetCode(
  deps: IdpDeps,
  ctx: Context,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const locale = localeOf(ctx);
  const state = await deps.accounts.passwordReset.state(deps.resetCookie.get(ctx));
  deps.render(
    ctx,
    'code',
    {
      title: translate(locale, 'reset.codeTitle'),
      sentText: translate(locale, 'reset.sent'),
      long: state.long,
      action: '/reset/code',
      resendAction: '/reset/resend',
      submitText: translate(locale, 'otp.submit'),
      ...extra,
    },
    status,
  );
}

/** GET /reset/code */
export function showResetCode(deps: IdpDeps): Middleware {
  return async function showResetCode(ctx) {
    await renderResetCode(
      deps,
      ctx,
      ctx.query.resent === '1' ? { notice: translate(localeOf(ctx), 'otp.resent') } : {},
    );
  };
}
