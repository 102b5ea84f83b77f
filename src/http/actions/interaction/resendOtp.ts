import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { interactionOf, loadLoginTransaction } from './loginTransaction.js';

/** POST /interaction/:uid/otp/resend: a new code by SMS, or by e-mail when the person chooses it. */
export function resendOtp(deps: IdpDeps): Middleware {
  return async function resendOtp(ctx) {
    const details = await interactionOf(deps, ctx, 'login');
    const tx = await loadLoginTransaction(deps, details.uid);
    const locale = localeOf(ctx);
    try {
      await deps.accounts.login.resendCode({
        uid: details.uid,
        channel: field(ctx, 'channel', 10),
        locale,
        meta: metaOf(ctx),
      });
      seeOther(ctx, `/interaction/${details.uid}/otp?resent=1`);
    } catch (err) {
      if (!(err instanceof HawiyaError)) throw err;
      if (err.status === 429 && typeof err.params.seconds === 'number')
        ctx.set('Retry-After', String(err.params.seconds));
      deps.render(
        ctx,
        'otp',
        {
          title: translate(locale, 'otp.title'),
          uid: details.uid,
          channel: tx.channel,
          maskedTo: tx.maskedTo,
          emailAllowed: tx.hasEmail,
          errors: [{ message: translate(locale, err.code as 'resend_too_soon', err.params) }],
        },
        err.status,
      );
    }
  };
}
