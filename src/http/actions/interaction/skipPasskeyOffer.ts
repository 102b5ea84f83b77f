import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { PasskeyOffer } from '../../../accounts/passkeys/passkeyOffer.js';
import { seeOther } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/** POST /interaction/:uid/passkey-offer/skip: not now; the login goes on to the service. */
export function skipPasskeyOffer(deps: { provider: () => Provider; passkeyOffer: PasskeyOffer }): Middleware {
  return async function skipPasskeyOffer(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    seeOther(ctx, await deps.passkeyOffer.skip(details.uid));
  };
}
