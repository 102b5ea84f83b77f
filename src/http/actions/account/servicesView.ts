import { type Locale, type MessageKey, pageText } from '../../../i18n/messages.js';
import { ACCOUNT_CLIENT_ID } from '../../../oidc/accountClient.js';
import { ACR_VALUES } from '../../../oidc/acr.js';
import type { ClientsRepo } from '../../../oidc/clientsRepo.js';
import type { DisclosuresRepo } from '../../../oidc/disclosuresRepo.js';
import type { GrantsRepo } from '../../../oidc/grantsRepo.js';
import { claimText, scopeText } from '../interaction/clientDisplay.js';
import { dayText, momentText } from './momentText.js';

function levelText(locale: Locale, acr: string | null): string {
  const level = ACR_VALUES.find((v) => v === acr)
    ?.split(':')
    .pop();
  return level ? pageText(locale, `level.${level}` as MessageKey) : '—';
}

/**
 * The services of the security page: each relying party the person allowed or that received something,
 * with what it may ask for (withdrawable) and every release, newest first: when, how, at which level, what.
 */
export async function servicesView(
  deps: { grants: GrantsRepo; clients: ClientsRepo; disclosures: Pick<DisclosuresRepo, 'listFor'> },
  accountId: string,
  locale: Locale,
) {
  const grants = (await deps.grants.listFor(accountId)).filter((g) => g.clientId !== ACCOUNT_CLIENT_ID);
  const released = (await deps.disclosures.listFor(accountId)).filter(
    (d) => d.clientId !== ACCOUNT_CLIENT_ID,
  );
  const clientIds = [...new Set([...grants.map((g) => g.clientId), ...released.map((d) => d.clientId)])];
  const services = [];
  for (const clientId of clientIds) {
    const client = await deps.clients.find(clientId);
    const name = (locale === 'ar' ? client?.name_ar : client?.name_en) ?? client?.client_name ?? clientId;
    const grant = grants.filter((g) => g.clientId === clientId).sort((a, b) => b.expiresAt - a.expiresAt)[0];
    services.push({
      name,
      grant: grant && {
        id: grant.id,
        scopes: grant.scopes.filter((s) => s !== 'openid').map((s) => scopeText(locale, s)),
        until: dayText(locale, grant.expiresAt),
      },
      releases: released
        .filter((d) => d.clientId === clientId)
        .map((d) => ({
          when: momentText(locale, d.at),
          how: pageText(locale, `received.channel.${d.channel}` as MessageKey),
          level: levelText(locale, d.acr),
          what: [...new Set(d.claims.map((c) => claimText(locale, c)))],
          scopes: d.scopes.filter((s) => s !== 'openid').map((s) => scopeText(locale, s)),
        })),
    });
  }
  return services;
}
