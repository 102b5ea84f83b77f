import type { Middleware } from 'koa';
import type { PasswordReset } from '../../../accounts/passwordReset/index.js';
import { pageText } from '../../../i18n/messages.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { type FlowCookie, localeOf } from '../../requestContext.js';

type ResetCodeDeps = { passwordReset: PasswordReset; resetCookie: FlowCookie; render: Renderer };

/** The reset code page of this browser's reset (FlowExpired once it has ended). */
export function resetCodePage(deps: ResetCodeDeps): FormPage {
  return async function resetCodePage(ctx, shown, status = 200) {
    const locale = localeOf(ctx);
    const state = await deps.passwordReset.state(deps.resetCookie.get(ctx));
    deps.render(
      ctx,
      'code',
      {
        title: pageText(locale, 'reset.codeTitle'),
        sentText: pageText(locale, 'reset.sent'),
        long: state.long,
        action: '/reset/code',
        resendAction: '/reset/resend',
        submitText: pageText(locale, 'reset.codeSubmit'),
        codeLabel: pageText(locale, 'reset.code'),
        startAgain: { href: '/reset', text: pageText(locale, 'reset.startAgain') },
        ...shown,
      },
      status,
    );
  };
}

/** GET /reset/code */
export function showResetCode(deps: ResetCodeDeps): Middleware {
  const page = resetCodePage(deps);
  return async function showResetCode(ctx) {
    await page(ctx, ctx.query.resent === '1' ? { notice: pageText(localeOf(ctx), 'otp.resent') } : {});
  };
}
