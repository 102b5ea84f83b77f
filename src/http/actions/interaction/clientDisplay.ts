import type Provider from 'oidc-provider';
import { hasMessage, type Locale, pageText } from '../../../i18n/messages.js';
import { essentialAcrs, requiredAcr } from '../../../oidc/acr.js';
import { scopeOfClaim } from '../../../oidc/claims.js';
import type { HawiyaClient } from '../../../oidc/clientsRepo.js';

/**
 * The client's name in the page's language, its registered scopes, and the lowest acr its request (the
 * interaction's parameters) accepts.
 */
export async function clientDisplay(provider: Provider, params: Record<string, unknown>, locale: Locale) {
  const { client_id: clientId, acr_values: acrValues } = params;
  const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
  const meta = (client?.metadata() ?? {}) as HawiyaClient;
  const name = (locale === 'ar' ? meta.name_ar : meta.name_en) ?? meta.client_name ?? String(clientId ?? '');
  const needed = requiredAcr({
    clientMin: meta.min_acr,
    requested: typeof acrValues === 'string' ? acrValues.split(' ') : undefined,
    essential: essentialAcrs(params.claims),
  });
  return { name, scope: meta.scope, requiredAcr: needed, uri: meta.client_uri };
}

/** What a scope gives, in the person's language (a service scope without a message by its name). */
export function scopeText(locale: Locale, scope: string): string {
  const key = `claim.${scope}`;
  return hasMessage(key) ? pageText(locale, key) : scope;
}

/** One claim, in the person's language; a claim without a name of its own is named by its scope. */
export function claimText(locale: Locale, claim: string): string {
  const key = `claimName.${claim}`;
  if (hasMessage(key)) return pageText(locale, key);
  return scopeText(locale, scopeOfClaim(claim) ?? 'openid');
}
