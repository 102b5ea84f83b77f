import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import Provider, {
  type Configuration,
  errors,
  type FindAccount,
  interactionPolicy,
  type KoaContextWithOIDC,
  type Account as OidcAccount,
} from 'oidc-provider';
import type { Accounts } from '../accounts/createAccounts.js';
import type { Config } from '../config.js';
import { createPreparedStatements } from '../db/preparedStatements.js';
import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { SERVICES } from '../shared/serviceRegistry.js';
import { ACR_VALUES, acrRank, essentialAcrs, requiredAcr } from './acr.js';
import { auditSignOut } from './auditSignOut.js';
import { claimsOf, consentableClaims, releasableClaims, SCOPE_CLAIMS } from './claims.js';
import { verifyClientSecret } from './clientSecrets.js';
import type { ClientsFreshness } from './clientsFreshness.js';
import type { ClientsRepo, HawiyaClient } from './clientsRepo.js';
import { createDisclosuresRepo } from './disclosuresRepo.js';
import { createGrantsRepo } from './grantsRepo.js';
import { holdAuthorizationWrites } from './holdAuthorizationWrites.js';
import { createKnexAdapterFactory, oidcIdKeys } from './knexAdapter.js';
import { rememberPublishedDocuments } from './publishedDocuments.js';
import { publishVerifyOnlyKeysWithKeyOps } from './publishedJwks.js';
import { recordDisclosures } from './recordDisclosures.js';
import { recordSessionDevices } from './recordSessionDevices.js';
import { resourceIndicators, serviceTokenClaims } from './resourceIndicators.js';
import { clientCredentialScopes, type ResourceServer } from './resourceServers.js';
import { createSessionDevicesRepo } from './sessionDevicesRepo.js';
import { type SessionSettings, sessionTtl } from './sessionLimits.js';
import { answerUnavailableDatabase } from './unavailableDatabase.js';

export interface OidcPages {
  renderError(ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error): Promise<void>;
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
}

export interface ProviderSettings {
  issuer: string;
  cookieKeys: readonly string[];
  pairwiseSalt: string;
  /** session timeouts by level (checklist 17) */
  session: SessionSettings;
  trustProxy: boolean;
  trustProxyHops: number;
}

/** The provider settings a Hawiya configuration gives (the server and the CLI's client check use the same). */
export function providerSettingsOf(config: Config): ProviderSettings {
  return {
    issuer: config.issuer,
    cookieKeys: config.cookieKeys,
    pairwiseSalt: config.pairwiseSalt,
    session: { ...config.session },
    trustProxy: config.trustProxy,
    trustProxyHops: config.trustProxyHops,
  };
}

/** The civil-affairs services' own scopes, from the service registry. */
export const SERVICE_SCOPES: readonly string[] = SERVICES.map((s) => s.scope);

const REFRESH_TOKEN_MAX_SECONDS = 30 * 24 * 3600;
const GRANT_SECONDS = 180 * 24 * 3600;

function extra(client: { metadata(): Record<string, unknown> }): HawiyaClient {
  return client.metadata() as HawiyaClient;
}

/**
 * Login must be asked for again when the session's acr is lower than the client or the request needs. A login
 * just completed below that level (whatever path it took) ends the request with
 * unmet_authentication_requirements: no code is issued at a lower acr (checklist 16).
 */
function acrCheck(): InstanceType<typeof interactionPolicy.Check> {
  // login_required, like oidc-provider's own check of an essential acr: prompt=none gets the same error
  // however the level was asked (acr_values, claims parameter, client minimum).
  return new interactionPolicy.Check(
    'acr_too_low',
    'the requested authentication level could not be obtained',
    'login_required',
    (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const needed = requiredAcr({
        clientMin: oidc.client ? extra(oidc.client).min_acr : undefined,
        requested:
          typeof oidc.params?.acr_values === 'string' ? oidc.params.acr_values.split(' ') : undefined,
        essential: essentialAcrs(oidc.params?.claims),
      });
      if (acrRank(oidc.session.acr) >= acrRank(needed)) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      if (oidc.result?.login)
        throw new errors.UnmetAuthenticationRequirements('the login did not reach the requested level');
      return interactionPolicy.Check.REQUEST_PROMPT;
    },
  );
}

/**
 * Consent must cover the claims a request names one by one (claims parameter), but only those its client may
 * receive: oidc-provider's own check would ask for (and, at consent, grant) claims outside the client's scopes.
 */
function claimsConsentCheck(): InstanceType<typeof interactionPolicy.Check> {
  const missing = (ctx: KoaContextWithOIDC): string[] => {
    const { oidc } = ctx;
    const encountered = new Set(oidc.grant?.getOIDCClaimsEncountered() ?? []);
    return consentableClaims(oidc.requestParamClaims, oidc.client?.scope).filter((c) => !encountered.has(c));
  };
  return new interactionPolicy.Check(
    'op_claims_missing',
    'requested claims not granted',
    'consent_required',
    (ctx: KoaContextWithOIDC) =>
      missing(ctx).length > 0
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT,
    (ctx: KoaContextWithOIDC) => ({ missingOIDCClaims: missing(ctx) }),
  );
}

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
  const grants = createGrantsRepo({ db: deps.db, clock: deps.clock });
  const adapterFactory = createKnexAdapterFactory({
    db: deps.db,
    clock: deps.clock,
    idKeys: oidcIdKeys(settings.cookieKeys),
    alreadyConsumed: (what) => new errors.InvalidGrant(what),
    clientsFreshness: deps.clientsFreshness,
  });
  // oidc-provider refuses outgoing requests to loopback and private addresses (SSRF). The services the
  // operator configured run there (localhost in development, an internal network in production), so their
  // origins alone may be reached that way, e.g. for back-channel logout.
  const internalOrigins = new Set(
    deps.resourceServers.filter((r) => r.format === 'jwt').map((r) => new URL(r.indicator).origin),
  );

  const findAccount: FindAccount = async (ctx, sub) => {
    const found = await deps.accounts.accountWithPerson(sub);
    if (found?.account.status !== 'active' || found.person?.status !== 'living') return undefined;
    const { account, person } = found;
    // Only the claims of the scopes the client is registered for are ever available to oidc-provider, so no
    // request (scope, claims parameter, consent) can have it release more: ID token, userinfo alike.
    const available = releasableClaims(claimsOf(account, person), ctx?.oidc?.client?.scope);
    const result: OidcAccount = {
      accountId: sub,
      async claims() {
        return { sub, ...available };
      },
    };
    return result;
  };

  const policy = interactionPolicy.base();
  policy.get('login')?.checks.add(acrCheck());
  const consentChecks = policy.get('consent')?.checks;
  if (consentChecks) {
    const at = consentChecks.findIndex((c) => c.reason === 'op_claims_missing');
    consentChecks.remove('op_claims_missing');
    consentChecks.add(claimsConsentCheck(), at < 0 ? undefined : at);
  }

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
    scopes: [
      'openid',
      'offline_access',
      'profile',
      'national_id',
      'phone',
      'email',
      ...SERVICE_SCOPES,
      ...clientCredentialScopes(),
    ],
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
    extraClientMetadata: {
      properties: ['name_ar', 'name_en', 'organization_type', 'first_party', 'min_acr', 'allowed_resources'],
      validator(_ctx, key, value, metadata) {
        if (
          key === 'organization_type' &&
          value !== undefined &&
          value !== 'government' &&
          value !== 'private'
        ) {
          throw new errors.InvalidClientMetadata('organization_type must be government or private');
        }
        if (key === 'first_party' && value === true && metadata.organization_type !== 'government') {
          throw new errors.InvalidClientMetadata('only government clients may skip consent');
        }
        if (key === 'min_acr' && value !== undefined && acrRank(value as string) < 0) {
          throw new errors.InvalidClientMetadata('min_acr must be one of the supported acr values');
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      introspection: {
        enabled: true,
        // Only the client a token was issued to may introspect it: the default answers any client, which
        // would let one relying party learn another's tokens (sub, scope, sid).
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      dPoP: { enabled: true },
      // Only for clients registered with the client_credentials grant (oidc-provider refuses the others with
      // unauthorized_client), only for an API (resource indicator), never openid or a person's claims.
      clientCredentials: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => deps.pages.logoutSource(ctx, form),
        postLogoutSuccessSource: (ctx) => deps.pages.postLogoutSuccessSource(ctx),
      },
      resourceIndicators: resourceIndicators(deps.resourceServers),
    },
    extraTokenClaims: serviceTokenClaims({ servers: deps.resourceServers, findAccount }),
    interactions: {
      policy,
      url: async (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Rotate on every use; a rotated token keeps the family's absolute expiry.
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
      AuthorizationCode: 60,
      IdToken: 3600,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 300,
      Interaction: 1800,
      Grant: GRANT_SECONDS,
      RefreshToken: (ctx) => {
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        return rotated ? Math.max(1, rotated.remainingTTL) : REFRESH_TOKEN_MAX_SECONDS;
      },
      // Saved on every use, so the idle timeout restarts; both limits follow the session's level.
      Session: (_ctx, session) =>
        sessionTtl({
          acr: session.acr,
          loginTs: session.loginTs,
          nowSeconds: Math.floor(deps.clock.now() / 1000),
          settings: settings.session,
        }),
    },
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const client = oidc.client;
      const accountId = oidc.session?.accountId;
      if (!client || !accountId || !oidc.session) return undefined;
      let grant: InstanceType<typeof oidc.provider.Grant> | undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(client.clientId);
      if (grantId) {
        const found = await oidc.provider.Grant.find(grantId);
        if (found && found.accountId === accountId) grant = found;
      }
      // Remembered consent from an earlier session.
      if (!grant) {
        const remembered = (await grants.listFor(accountId))
          .filter((g) => g.clientId === client.clientId)
          .sort((a, b) => b.expiresAt - a.expiresAt);
        for (const g of remembered) {
          grant = await oidc.provider.Grant.find(g.id);
          if (grant) break;
        }
      }
      const meta = extra(client);
      if (meta.first_party === true && meta.organization_type === 'government') {
        // A first-party service never sees a consent page: what it asks for now is added to what it was
        // granted before (within its registered scopes; the claims parameter too).
        grant ??= new oidc.provider.Grant({ accountId, clientId: client.clientId });
        grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
        const claims = consentableClaims(oidc.requestParamClaims, client.scope);
        if (claims.length > 0) grant.addOIDCClaims(claims);
        for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
          grant.addResourceScope(indicator, server.scope);
        }
        await grant.save();
      }
      if (!grant) return undefined;
      // The grant is the person's remembered consent, which every session of theirs at this client shares:
      // signing out here must not revoke it (nor the tokens other sessions hold under it). This session's own
      // tokens still end with it, being bound to it (expiresWithSession); withdrawing is on the account page.
      oidc.session.ensureClientContainer(client.clientId);
      oidc.session.authorizationFor(client.clientId).persistsLogout = true;
      return grant;
    },
    renderError: (ctx, out, error) =>
      deps.pages.renderError(ctx, out as unknown as Record<string, string>, error),
    clientBasedCORS: () => false,
    fetch: (url, init) => {
      const target = new URL(url instanceof Request ? url.url : url);
      if (!internalOrigins.has(target.origin) || !init) return globalThis.fetch(url, init);
      const { dispatcher: _ssrfGuard, ...rest } = init as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
    expiresWithSession: async (_ctx, code) => !code.scopes.has('offline_access'),
  };

  const provider = new Provider(settings.issuer, configuration);
  // oidc-provider's documented extension point for secrets that are not stored in the clear.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: { clientSecret?: string },
    presented: string,
  ) {
    return verifyClientSecret(this.clientSecret, presented);
  };
  // First, so that it keeps the final answer: discovery and JWKS served from memory afterwards.
  rememberPublishedDocuments(provider);
  // What each relying party received, read from the answers themselves (the security page lists it).
  provider.use(
    recordDisclosures({
      repo: createDisclosuresRepo(deps.db),
      holdWrites: createPreparedStatements(deps.db).holdingWrites,
      clock: deps.clock,
      logger: deps.logger,
    }),
  );
  // An authorization answer's writes, the signed-in device's among them, committed together.
  provider.use(
    holdAuthorizationWrites({
      sql: createPreparedStatements(deps.db),
      renderError: (ctx, out, err) => deps.pages.renderError(ctx, out, err),
      logger: deps.logger,
    }),
  );
  // Where each session is used from (the security page's signed-in devices).
  provider.use(
    recordSessionDevices({ repo: createSessionDevicesRepo(deps.db), clock: deps.clock, logger: deps.logger }),
  );
  provider.proxy = settings.trustProxy;
  provider.maxIpsCount = settings.trustProxyHops;
  publishVerifyOnlyKeysWithKeyOps(provider);
  answerUnavailableDatabase(provider);
  if (deps.audit) auditSignOut(provider, { audit: deps.audit, logger: deps.logger });
  return provider;
}
