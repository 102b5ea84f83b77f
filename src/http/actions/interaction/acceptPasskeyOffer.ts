import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { PasskeyOffer } from '../../../accounts/passkeys/passkeyOffer.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/** POST /interaction/:uid/passkey-offer: the new passkey's name and the browser's answer; then on to the service. */
export function acceptPasskeyOffer(deps: {
  provider: () => Provider;
  passkeyOffer: PasskeyOffer;
}): Middleware {
  return async function acceptPasskeyOffer(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    const resume = await deps.passkeyOffer.accept({
      uid: details.uid,
      response: field(ctx, 'response', 16_000),
      name: field(ctx, 'name', 200),
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    seeOther(ctx, resume);
  };
}
