import type Provider from 'oidc-provider';
import type { Locale } from '../../../i18n/messages.js';
import { requiredAcr } from '../../../oidc/acr.js';
import type { HawiyaClient } from '../../../oidc/clientsRepo.js';

/** The client's name in the page's language, and the lowest acr its request accepts. */
export async function clientDisplay(
  provider: Provider,
  clientId: unknown,
  locale: Locale,
  acrValues?: unknown,
) {
  const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
  const meta = (client?.metadata() ?? {}) as HawiyaClient;
  const name = (locale === 'ar' ? meta.name_ar : meta.name_en) ?? meta.client_name ?? String(clientId ?? '');
  const needed = requiredAcr({
    clientMin: meta.min_acr,
    requested: typeof acrValues === 'string' ? acrValues.split(' ') : undefined,
  });
  return { name, requiredAcr: needed };
}
