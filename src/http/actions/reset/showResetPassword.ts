import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf } from '../../requestContext.js';

/** GET /reset/password: only after the code was right. */
export function showResetPassword(deps: IdpDeps): Middleware {
  return async function showResetPassword(ctx) {
    const state = await deps.accounts.passwordReset.state(deps.resetCookie.get(ctx));
    if (!state.verified) throw new FlowExpired();
    deps.render(ctx, 'reset-password', { title: translate(localeOf(ctx), 'reset.newPassword') });
  };
}
