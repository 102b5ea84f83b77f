import type { Configuration } from 'oidc-provider';
import type { OidcPages } from './oidcPages.js';
import { resourceIndicators } from './resourceIndicators.js';
import type { ResourceServer } from './resourceServers.js';

/** The oidc-provider features Hawiya turns on, and how each is limited. */
export function providerFeatures(deps: {
  pages: OidcPages;
  resourceServers: ResourceServer[];
}): Configuration['features'] {
  return {
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
  };
}
