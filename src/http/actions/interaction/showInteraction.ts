import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { type Locale, pageText, pickLocale } from '../../../i18n/messages.js';
import { ACR } from '../../../oidc/acr.js';
import { consentableClaims, scopeOfClaim } from '../../../oidc/claims.js';
import { rememberAskingService } from '../../middleware/askingService.js';
import { switchLanguage } from '../../middleware/locale.js';
import type { Renderer } from '../../render.js';
import { claimText, clientDisplay, scopeText } from './clientDisplay.js';

/** GET /interaction/:uid: the login form, or the consent page, as the provider's prompt says. */
export function showInteraction(deps: { provider: () => Provider; render: Renderer }): Middleware {
  return async function showInteraction(ctx) {
    const provider = deps.provider();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== ctx.params.uid) {
      ctx.throw(400);
    }
    // The language the person uses at the service (ui_locales) wins over an older choice, and is remembered;
    // a switch on this very page (?lang=) wins over both.
    const fromService = details.params.ui_locales;
    if (ctx.query.lang === undefined && typeof fromService === 'string' && /\b(ar|en)\b/i.test(fromService)) {
      switchLanguage(ctx, pickLocale([fromService]));
    }
    const locale = ctx.state.locale as Locale;
    if (typeof details.params.client_id === 'string') rememberAskingService(ctx, details.params.client_id);
    const client = await clientDisplay(provider, details.params, locale);
    if (details.prompt.name === 'login') {
      const hint =
        typeof details.params.login_hint === 'string' ? details.params.login_hint.slice(0, 64) : '';
      deps.render(ctx, 'login', {
        title: pageText(locale, 'login.title'),
        uid: details.uid,
        clientName: client.name,
        needsHigh: client.requiredAcr === ACR.high,
        identifier: hint,
      });
      return;
    }
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    const scopes = [
      ...new Set([
        ...(missing.missingOIDCScope ?? []),
        ...Object.values(missing.missingResourceScopes ?? {}).flat(),
      ]),
    ].filter((s) => s !== 'openid');
    // Claims asked for one by one (claims parameter) are named too, in the person's language; never one
    // outside the client's scopes (it is not released either), nor one a listed scope already covers.
    const claims = consentableClaims(missing.missingOIDCClaims ?? [], client.scope).filter(
      (c) => !scopes.includes(scopeOfClaim(c) ?? ''),
    );
    const items = [
      ...new Set([
        ...(scopes.length > 0 ? scopes : ['openid']).map((s) => scopeText(locale, s)),
        ...claims.map((c) => claimText(locale, c)),
      ]),
    ];
    deps.render(ctx, 'consent', {
      title: pageText(locale, 'consent.title'),
      uid: details.uid,
      clientName: client.name,
      // the service's own link (client_uri, https in production): where the person can see who asks
      clientUri: client.uri,
      items,
    });
  };
}
