import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf, metaOf, seeOther } from '../../requestContext.js';
import { renderActivate } from './showActivate.js';

/** POST /register/resend: a new activation code, to the same registry mobile, after the wait. */
export function resendActivation(deps: IdpDeps): Middleware {
  return async function resendActivation(ctx) {
    const locale = localeOf(ctx);
    try {
      await deps.accounts.registration.resend({
        handle: deps.registerCookie.get(ctx),
        locale,
        meta: metaOf(ctx),
      });
      seeOther(ctx, '/register/activate?resent=1');
    } catch (err) {
      if (!(err instanceof HawiyaError) || err.code === 'flow_expired') throw err;
      if (typeof err.params.seconds === 'number') ctx.set('Retry-After', String(err.params.seconds));
      await renderActivate(
        deps,
        ctx,
        { errors: [{ message: translate(locale, err.code as 'resend_too_soon', err.params) }] },
        err.status,
      );
    }
  };
}
