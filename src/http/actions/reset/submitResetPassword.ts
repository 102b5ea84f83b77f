import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';

/** POST /reset/password: the new password; every session and refresh token of the person ends. */
export function submitResetPassword(deps: IdpDeps): Middleware {
  return async function submitResetPassword(ctx) {
    const locale = localeOf(ctx);
    try {
      const { returnTo } = await deps.accounts.passwordReset.complete({
        handle: deps.resetCookie.get(ctx),
        password: field(ctx, 'password'),
        locale,
        meta: metaOf(ctx),
      });
      deps.resetCookie.clear(ctx);
      const uid = returnTo?.slice('/interaction/'.length);
      seeOther(ctx, uid ? `/reset/done?interaction=${uid}` : '/reset/done');
    } catch (err) {
      if (!(err instanceof HawiyaError) || err.code === 'flow_expired') throw err;
      deps.render(
        ctx,
        'reset-password',
        {
          title: translate(locale, 'reset.newPassword'),
          errors: [
            { field: 'password', message: translate(locale, err.code as 'password_common', err.params) },
          ],
        },
        err.status,
      );
    }
  };
}
