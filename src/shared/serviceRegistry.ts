// The civil-affairs services that ship with Hawiya, each described once. Plain data and pure functions:
// the identity provider (config, oidc, cli, home page) and the services themselves read it, and neither
// imports the other's code through it. Adding a service is one descriptor here and its folders
// src/services/<id>/ and views/services/<id>/.

export interface Bilingual {
  readonly ar: string;
  readonly en: string;
}

/** Settings of a service's client at Hawiya (the CLI refuses to change them: they come from here). */
export interface ServiceClientSettings {
  /** government services may skip the consent page (first party) */
  readonly organizationType: 'government' | 'private';
  readonly firstParty: boolean;
  /** scopes the client may ask for besides its own */
  readonly scopes: readonly string[];
  /** the lowest acr the service accepts: e-mail codes are not offered below it */
  readonly minAcr: string;
  readonly subjectType: 'public' | 'pairwise';
  readonly tokenEndpointAuthMethod: 'client_secret_basic';
  /** asks Hawiya's registry check (client credentials, scope registry:verify) whether a holder exists */
  readonly registryCheck: boolean;
}

export interface ServiceDescriptor {
  /** client_id at Hawiya, and the folder of its code and views */
  readonly id: string;
  /** the name people read, on Hawiya's pages (home, consent, account) and the service's own */
  readonly name: Bilingual;
  /** the service's own scope, asked for next to openid profile national_id */
  readonly scope: string;
  /** what granting the scope allows, on Hawiya's consent and account pages */
  readonly scopeText: Bilingual;
  /** environment variables of the public URL and the client secret (read by config.ts only) */
  readonly env: { readonly url: string; readonly secret: string };
  /** public URL in development */
  readonly defaultUrl: string;
  /** lifetime of access tokens for the service's API, seconds */
  readonly accessTokenTtl: number;
  /**
   * Further scopes the service's API understands, granted only by client credentials to the clients an
   * administrator registered for them (banks, police, other services): never to a person's token.
   */
  readonly apiClientScopes: readonly string[];
  /**
   * Other services' APIs this one calls: with the signed-in person's token (a second resource in the same
   * grant: one sign-in, one consent, each token's audience one API) and, for the listed scopes, with its
   * own client-credentials token (acts no person could ask for, e.g. closing a report as replaced).
   */
  readonly calls: readonly ServiceCall[];
  readonly client: ServiceClientSettings;
}

export interface ServiceCall {
  /** the id of the service whose API is called */
  readonly service: string;
  /** its apiClientScopes this service's client is registered for (client credentials) */
  readonly clientScopes: readonly string[];
}

const GOVERNMENT_CLIENT: ServiceClientSettings = {
  organizationType: 'government',
  firstParty: true,
  scopes: ['openid', 'profile', 'national_id', 'phone', 'email'],
  minAcr: 'urn:hawiya:acr:standard',
  subjectType: 'public',
  tokenEndpointAuthMethod: 'client_secret_basic',
  registryCheck: false,
};

export const SERVICES = [
  {
    id: 'loss-report',
    name: { ar: 'الإبلاغ عن فقد وثيقة', en: 'Report a lost document' },
    scope: 'civil:loss_report',
    scopeText: {
      ar: 'الإبلاغ عن الوثائق المفقودة نيابة عنك',
      en: 'Reporting lost documents on your behalf',
    },
    env: { url: 'LOSS_REPORT_URL', secret: 'LOSS_REPORT_CLIENT_SECRET' },
    defaultUrl: 'http://localhost:3001',
    accessTokenTtl: 600,
    // The register query (banks, police); a report looked up for a person another service authenticated
    // (the replacement service's API); closing a report as replaced.
    apiClientScopes: ['civil:loss_register.read', 'civil:loss_report.read', 'civil:loss_report.close'],
    calls: [],
    client: { ...GOVERNMENT_CLIENT, registryCheck: true },
  },
  {
    id: 'replacement',
    name: { ar: 'طلب بدل فاقد', en: 'Request a replacement' },
    scope: 'civil:replacement',
    scopeText: {
      ar: 'طلب بدل فاقد وحجز موعد نيابة عنك',
      en: 'Requesting replacements and booking appointments on your behalf',
    },
    env: { url: 'REPLACEMENT_URL', secret: 'REPLACEMENT_CLIENT_SECRET' },
    defaultUrl: 'http://localhost:3002',
    accessTokenTtl: 600,
    apiClientScopes: [],
    // Reads the person's loss reports (with the person's token on its pages; for its API's callers, who
    // hold no loss-report token here, one report looked up for the caller), and closes one as replaced.
    calls: [{ service: 'loss-report', clientScopes: ['civil:loss_report.read', 'civil:loss_report.close'] }],
    client: GOVERNMENT_CLIENT,
  },
] as const satisfies readonly ServiceDescriptor[];

export type ServiceId = (typeof SERVICES)[number]['id'];

/** What the environment says about one service (config.ts reads the variables its descriptor names). */
export interface ServiceSettings {
  /** public URL, no trailing slash (the descriptor's defaultUrl) */
  readonly url: string;
  /** its client secret at Hawiya, 32+ characters (a dev value outside production) */
  readonly clientSecret: string;
}

export type ServicesSettings = Readonly<Record<ServiceId, ServiceSettings>>;

/** Where a service answers under its public URL: its routes and its client registration both use these. */
export const SERVICE_PATHS = {
  home: '/',
  login: '/login',
  callback: '/callback',
  logout: '/logout',
  backchannelLogout: '/backchannel-logout',
  /** the API, whose URL is the resource indicator (RFC 8707) and the access tokens' audience */
  api: '/api',
} as const;

/**
 * Hawiya's registry check for government services: `POST ${issuer}${path}` with a client-credentials token
 * whose audience (resource indicator) is the same URL and whose scope is `registry:verify`.
 */
export const REGISTRY_CHECK = {
  path: '/api/registry/verify',
  scope: 'registry:verify',
  /** lifetime of its client-credentials tokens, seconds */
  accessTokenTtl: 300,
} as const;

/** Lifetime of client-credentials tokens for a service's API (the register query), seconds. */
export const CLIENT_CREDENTIALS_TTL = 300;

/** The absolute URIs of a service at its public URL (no trailing slash). */
export function serviceUris(url: string) {
  return {
    redirectUri: `${url}${SERVICE_PATHS.callback}`,
    postLogoutRedirectUri: `${url}${SERVICE_PATHS.home}`,
    backchannelLogoutUri: `${url}${SERVICE_PATHS.backchannelLogout}`,
    apiResource: `${url}${SERVICE_PATHS.api}`,
  };
}

export function serviceById(id: string): ServiceDescriptor | undefined {
  return SERVICES.find((s) => s.id === id);
}

/** The descriptor of a registered service. */
export function serviceDescriptor(id: ServiceId): ServiceDescriptor {
  const found = serviceById(id);
  if (!found) throw new Error(`no service ${id} in the registry`);
  return found;
}
