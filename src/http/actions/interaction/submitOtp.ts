import type { Middleware } from 'koa';
import type { Login } from '../../../accounts/login/createLogin.js';
import type { PasskeyOffer } from '../../../accounts/passkeys/passkeyOffer.js';
import { normalizeDigits } from '../../../registry/index.js';
import { HawiyaError } from '../../../shared/errors.js';
import { field, metaOf } from '../../requestContext.js';
import { type CompleteLoginDeps, completeLogin } from './completeLogin.js';
import { interactionOf } from './interactionOf.js';

/**
 * POST /interaction/:uid/otp: the second factor; a right code ends the login with a truthful acr/amr. The
 * first password + SMS login of an account without a passkey stops once at the offer to add one.
 */
export function submitOtp(
  deps: CompleteLoginDeps & { login: Login; passkeyOffer: PasskeyOffer },
): Middleware {
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
    await completeLogin(deps, ctx, login, async (resume) => {
      if (!login.offerPasskey) return resume;
      await deps.passkeyOffer.open(details.uid, { accountId: login.accountId, resume });
      return `/interaction/${details.uid}/passkey-offer`;
    });
  };
}
