import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { PasskeyOffer } from '../../../accounts/passkeys/passkeyOffer.js';
import { interactionOf } from './interactionOf.js';

/** POST /interaction/:uid/passkey-offer/options: a single-use enrolment challenge (JSON). */
export function passkeyOfferOptions(deps: {
  provider: () => Provider;
  passkeyOffer: PasskeyOffer;
}): Middleware {
  return async function passkeyOfferOptions(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.passkeyOffer.options(details.uid);
  };
}
