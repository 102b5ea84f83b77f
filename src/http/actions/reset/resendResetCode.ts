import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf, metaOf, seeOther } from '../../requestContext.js';
import { renderResetCode } from './showResetCode.js';

/** POST /reset/resend */
export function resendResetCode(deps: IdpDeps): Middleware {
  return async function resendResetCode(ctx) {
    const locale = localeOf(ctx);
    try {
      await deps.accounts.passwordReset.resend({
        handle: deps.resetCookie.get(ctx),
        locale,
        meta: metaOf(ctx),
      });
      seeOther(ctx, '/reset/code?resent=1');
    } catch (err) {
      if (!(err instanceof HawiyaError) || err.code === 'flow_expired') throw err;
      if (typeof err.params.seconds === 'number') ctx.set('Retry-After', String(err.params.seconds));
      await renderResetCode(
        deps,
        ctx,
        { errors: [{ message: translate(locale, err.code as 'resend_too_soon', err.params) }] },
        err.status,
      );
    }
  };
}
