import { SERVICES, type ServicesSettings, serviceUris } from '../shared/serviceRegistry.js';

/** An API that accepts Hawiya access tokens: the civil-affairs services declare theirs. */
export interface ResourceServer {
  /** the resource indicator (RFC 8707) and the access token's audience */
  indicator: string;
  /** scopes this API understands, space-separated */
  scope: string;
  /** access-token lifetime, seconds */
  accessTokenTtl: number;
}

export function serviceResourceServers(services: ServicesSettings): ResourceServer[] {
  return SERVICES.map((s) => ({
    indicator: serviceUris(services[s.id].url).apiResource,
    scope: s.scope,
    accessTokenTtl: s.accessTokenTtl,
  }));
}
