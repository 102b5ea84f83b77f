import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf } from '../../requestContext.js';
import { interactionOf, loadLoginTransaction } from './loginTransaction.js';

/** GET /interaction/:uid/otp */
export function showOtp(deps: IdpDeps): Middleware {
  return async function showOtp(ctx) {
    const details = await interactionOf(deps, ctx, 'login');
    const tx = await loadLoginTransaction(deps, details.uid);
    const locale = localeOf(ctx);
    deps.render(ctx, 'otp', {
      title: translate(locale, 'otp.title'),
      uid: details.uid,
      channel: tx.channel,
      maskedTo: tx.maskedTo,
      emailAllowed: tx.hasEmail,
      notice: ctx.query.resent === '1' ? translate(locale, 'otp.resent') : undefined,
    });
  };
}
