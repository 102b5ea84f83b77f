import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { normalizeDigits } from '../../../registry/index.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { interactionOf, loadLoginTransaction } from './loginTransaction.js';

/** POST /interaction/:uid/otp: the second factor; a right code ends the login with a truthful acr/amr. */
export function submitOtp(deps: IdpDeps): Middleware {
  return async function submitOtp(ctx) {
    const details = await interactionOf(deps, ctx, 'login');
    const tx = await loadLoginTransaction(deps, details.uid);
    const locale = localeOf(ctx);
    const code = normalizeDigits(field(ctx, 'code', 20)).trim();
    try {
      if (!/^\d{6}$/.test(code)) throw new HawiyaError('code_format', 400);
      const login = await deps.accounts.login.verifyCode({
        uid: details.uid,
        code,
        clientId: String(details.params.client_id ?? ''),
        meta: metaOf(ctx),
      });
      const url = await deps
        .provider()
        .interactionResult(
          ctx.req,
          ctx.res,
          { login: { accountId: login.accountId, acr: login.acr, amr: login.amr, remember: true } },
          { mergeWithLastSubmission: false },
        );
      seeOther(ctx, url);
    } catch (err) {
      if (!(err instanceof HawiyaError)) throw err;
      if (err.status === 429 && typeof err.params.seconds === 'number' && err.params.seconds > 0) {
        ctx.set('Retry-After', String(err.params.seconds));
      }
      deps.render(
        ctx,
        'otp',
        {
          title: translate(locale, 'otp.title'),
          uid: details.uid,
          channel: tx.channel,
          maskedTo: tx.maskedTo,
          emailAllowed: tx.hasEmail,
          errors: [{ field: 'code', message: translate(locale, err.code as 'code_invalid', err.params) }],
        },
        err.status,
      );
    }
  };
}
