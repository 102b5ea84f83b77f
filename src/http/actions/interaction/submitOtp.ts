import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import type { PasskeyOffer } from '../../../accounts/passkeys/passkeyOffer.js';
import { normalizeDigits } from '../../../registry/index.js';
import { HawiyaError } from '../../../shared/errors.js';
import { field, metaOf, seeOther } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/**
 * POST /interaction/:uid/otp: the second factor; a right code ends the login with a truthful acr/amr. The
 * first password + SMS login of an account without a passkey stops once at the offer to add one.
 */
export function submitOtp(deps: {
  provider: () => Provider;
  login: Login;
  passkeyOffer: PasskeyOffer;
}): Middleware {
  return async function submitOtp(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    const code = normalizeDigits(field(ctx, 'code', 20)).trim();
    if (!/^\d{6}$/.test(code)) throw new HawiyaError('code_format', 400);
    const login = await deps.login.verifyCode({
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
    if (login.offerPasskey) {
      await deps.passkeyOffer.open(details.uid, { accountId: login.accountId, resume: url });
      seeOther(ctx, `/interaction/${details.uid}/passkey-offer`);
      return;
    }
    seeOther(ctx, url);
  };
}
