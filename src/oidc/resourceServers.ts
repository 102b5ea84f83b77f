import {
  CLIENT_CREDENTIALS_TTL,
  REGISTRY_CHECK,
  SERVICES,
  type ServicesSettings,
  serviceUris,
} from '../shared/serviceRegistry.js';

/** An API that accepts Hawiya access tokens: the civil-affairs services' and Hawiya's own registry check. */
export interface ResourceServer {
  /** the resource indicator (RFC 8707) and the access token's audience */
  indicator: string;
  /** scopes this API understands, space-separated */
  scope: string;
  /** scopes granted to a person's token (authorization code); the others only by client credentials */
  personScopes: readonly string[];
  /** access-token lifetime for a person's token, seconds */
  accessTokenTtl: number;
  /** access-token lifetime for a client-credentials token, seconds */
  clientCredentialsTtl: number;
  /** jwt for the services (they verify it against the JWKS); opaque for Hawiya's own API (looked up) */
  format: 'jwt' | 'opaque';
  /** only government clients may get tokens for it */
  governmentOnly: boolean;
}

export function serviceResourceServers(settings: {
  issuer: string;
  services: ServicesSettings;
}): ResourceServer[] {
  const services: ResourceServer[] = SERVICES.map((s) => ({
    indicator: serviceUris(settings.services[s.id].url).apiResource,
    scope: [s.scope, ...s.apiClientScopes].join(' '),
    personScopes: [s.scope],
    accessTokenTtl: s.accessTokenTtl,
    clientCredentialsTtl: CLIENT_CREDENTIALS_TTL,
    format: 'jwt',
    governmentOnly: false,
  }));
  return [...services, registryCheckServer(settings.issuer)];
}

/** Hawiya's registry check: government clients with client credentials only. */
export function registryCheckServer(issuer: string): ResourceServer {
  return {
    indicator: `${issuer}${REGISTRY_CHECK.path}`,
    scope: REGISTRY_CHECK.scope,
    personScopes: [],
    accessTokenTtl: REGISTRY_CHECK.accessTokenTtl,
    clientCredentialsTtl: REGISTRY_CHECK.accessTokenTtl,
    format: 'opaque',
    governmentOnly: true,
  };
}

/** Scopes only client credentials may carry (never a person's token). */
export function clientCredentialScopes(): string[] {
  return [REGISTRY_CHECK.scope, ...SERVICES.flatMap((s) => [...s.apiClientScopes])];
}
