import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { PasskeyOffer } from '../../../accounts/passkeys/passkeyOffer.js';
import { translate } from '../../../i18n/messages.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/** The offer to add a passkey (FlowExpired once taken or skipped). */
export function passkeyOfferPage(deps: { passkeyOffer: PasskeyOffer; render: Renderer }): FormPage {
  return async function passkeyOfferPage(ctx, shown, status = 200) {
    const uid = String(ctx.params.uid);
    await deps.passkeyOffer.pending(uid);
    deps.render(
      ctx,
      'passkey-offer',
      { title: translate(localeOf(ctx), 'offer.title'), uid, ...shown },
      status,
    );
  };
}

/** GET /interaction/:uid/passkey-offer: after the first password + SMS login, once. */
export function showPasskeyOffer(deps: {
  provider: () => Provider;
  passkeyOffer: PasskeyOffer;
  render: Renderer;
}): Middleware {
  const page = passkeyOfferPage(deps);
  return async function showPasskeyOffer(ctx) {
    await interactionOf(deps.provider, ctx, 'login');
    await page(ctx, {});
  };
}
