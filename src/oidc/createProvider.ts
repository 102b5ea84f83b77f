import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import Provider, { type Configuration, errors } from 'oidc-provider';
import type { Accounts } from '../accounts/createAccounts.js';
import type { AccountWithPerson } from '../accounts/index.js';
import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { currentPageRequest } from '../shared/requestScope.js';
import { ACR_VALUES } from './acr.js';
import { SCOPE_CLAIMS } from './claims.js';
import type { ClientsFreshness } from './clientsFreshness.js';
import type { ClientsRepo } from './clientsRepo.js';
import { createFindAccount } from './createFindAccount.js';
import { extraClientMetadata } from './extraClientMetadata.js';
import { fetchReachingServices } from './fetchReachingServices.js';
import { createGrantsRepo } from './grantsRepo.js';
import { hawiyaInteractionPolicy } from './hawiyaInteractionPolicy.js';
import { createKnexAdapterFactory, oidcIdKeys } from './knexAdapter.js';
import { loadExistingGrant } from './loadExistingGrant.js';
import type { OidcPages } from './oidcPages.js';
import { providerFeatures } from './providerFeatures.js';
import type { ProviderSettings } from './providerSettings.js';
import { createReadAlong } from './readAlong.js';
import { serviceTokenClaims } from './resourceIndicators.js';
import type { ResourceServer } from './resourceServers.js';
import { supportedScopes } from './supportedScopes.js';
import { tokenLifetimes } from './tokenLifetimes.js';
import { wireProvider } from './wireProvider.js';

/** Hawiya's oidc-provider: its configuration assembled from the pieces beside this file, then wired. */
export function createProvider(deps: {
  settings: ProviderSettings;
  db: Knex;
  clock: Clock;
  jwks: { keys: object[] };
  accounts: Accounts;
  clients: ClientsRepo;
  resourceServers: ResourceServer[];
  pages: OidcPages;
  logger: Logger;
  /** records sign-outs (the CLI's client check has none) */
  audit?: Audit;
  /** the server's: client metadata kept in memory while no client changed (the CLI reads each time) */
  clientsFreshness?: ClientsFreshness;
}): Provider {
  const { settings } = deps;
  const secure = settings.issuer.startsWith('https://');
  const accountsAlong = createReadAlong<AccountWithPerson>(() => Provider.ctx);
  const adapterFactory = createKnexAdapterFactory({
    db: deps.db,
    clock: deps.clock,
    idKeys: oidcIdKeys(settings.cookieKeys),
    alreadyConsumed: (what) => new errors.InvalidGrant(what),
    clientsFreshness: deps.clientsFreshness,
    // a provider request's own context, else the page app's request (a consent saving its grant)
    currentRequest: () => Provider.ctx ?? currentPageRequest(),
    accountsAlong,
  });
  const findAccount = createFindAccount(deps.accounts, accountsAlong);

  const configuration: Configuration = {
    adapter: adapterFactory as unknown as Configuration['adapter'],
    jwks: deps.jwks as Configuration['jwks'],
    findAccount,
    cookies: {
      keys: [...settings.cookieKeys],
      names: {
        session: secure ? '__Host-hawiya.sid' : 'hawiya.sid',
        interaction: 'hawiya.int',
        resume: 'hawiya.resume',
      },
      long: { httpOnly: true, sameSite: 'lax', signed: true, secure },
      short: { httpOnly: true, sameSite: 'lax', signed: true, secure },
    },
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([k, v]) => [k, [...v]])),
    scopes: supportedScopes(),
    acrValues: [...ACR_VALUES],
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier(_ctx, accountId, client) {
      return createHmac('sha256', settings.pairwiseSalt)
        .update(`${client.sectorIdentifier ?? client.clientId}:${accountId}`)
        .digest('base64url');
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['private_key_jwt', 'client_secret_basic'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
    enabledJWA: {
      clientAuthSigningAlgValues: ['ES256', 'PS256', 'RS256', 'EdDSA'],
      idTokenSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      requestObjectSigningAlgValues: ['ES256', 'PS256', 'EdDSA'],
      userinfoSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      introspectionSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      authorizationSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      dPoPSigningAlgValues: ['ES256', 'PS256', 'EdDSA'],
    },
    allowOmittingSingleRegisteredRedirectUri: false,
    extraClientMetadata,
    features: providerFeatures({ pages: deps.pages, resourceServers: deps.resourceServers }),
    extraTokenClaims: serviceTokenClaims({ servers: deps.resourceServers, findAccount }),
    interactions: {
      policy: hawiyaInteractionPolicy(),
      url: async (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Rotate on every use; a rotated token keeps the family's absolute expiry.
    rotateRefreshToken: () => true,
    ttl: tokenLifetimes({ clock: deps.clock, session: settings.session }),
    loadExistingGrant: loadExistingGrant({ grants: createGrantsRepo({ db: deps.db, clock: deps.clock }) }),
    renderError: (ctx, out, error) =>
      deps.pages.renderError(ctx, out as unknown as Record<string, string>, error),
    clientBasedCORS: () => false,
    fetch: fetchReachingServices(deps.resourceServers),
    expiresWithSession: async (_ctx, code) => !code.scopes.has('offline_access'),
  };

  const provider = new Provider(settings.issuer, configuration);
  wireProvider(provider, deps);
  return provider;
}
