import type { Middleware } from 'koa';
import type { PasswordReset } from '../../../accounts/passwordReset/index.js';
import { pageText } from '../../../i18n/messages.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { type FlowCookie, localeOf } from '../../requestContext.js';

/** The new-password form (nothing of what was typed is shown again). */
export function resetPasswordPage(deps: { render: Renderer }): FormPage {
  return function resetPasswordPage(ctx, shown, status = 200) {
    deps.render(
      ctx,
      'reset-password',
      { title: pageText(localeOf(ctx), 'reset.newPassword'), ...shown },
      status,
    );
  };
}

/** GET /reset/password: only after the code was right. */
export function showResetPassword(deps: {
  passwordReset: PasswordReset;
  resetCookie: FlowCookie;
  render: Renderer;
}): Middleware {
  const page = resetPasswordPage(deps);
  return async function showResetPassword(ctx) {
    const state = await deps.passwordReset.state(deps.resetCookie.get(ctx));
    if (!state.verified) throw new FlowExpired();
    await page(ctx, {});
  };
}
