import { type Configuration, errors, type FindAccount, type KoaContextWithOIDC } from 'oidc-provider';
import type { HawiyaClient } from './clientsRepo.js';
import type { ResourceServer } from './resourceServers.js';

type ResourceIndicators = NonNullable<NonNullable<Configuration['features']>['resourceIndicators']>;

function extra(client: { metadata(): Record<string, unknown> }): HawiyaClient {
  return client.metadata() as HawiyaClient;
}

function requestedScopes(ctx: KoaContextWithOIDC): string[] {
  const scope = ctx.oidc.params?.scope;
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}

/**
 * The API a client-credentials request without `resource` is for: the one allowed API whose scopes cover
 * the request. A client-credentials token always has an audience, so without one the request is refused.
 */
function clientCredentialsResource(
  servers: readonly ResourceServer[],
  client: HawiyaClient,
  scopes: string[],
): string {
  const fits = servers.filter((r) => {
    if (!(client.allowed_resources ?? []).includes(r.indicator)) return false;
    const offered = r.scope.split(' ');
    return scopes.length > 0 ? scopes.every((s) => offered.includes(s)) : true;
  });
  if (fits.length !== 1 || !fits[0]) {
    throw new errors.InvalidTarget('client credentials need a resource indicator (one API per token)');
  }
  return fits[0].indicator;
}

/**
 * APIs (RFC 8707): a client gets tokens only for the APIs it is allowed (government-only ones for government
 * clients). A person's token carries the API's person scopes; a client-credentials token only the API scopes
 * the client is registered for, and asking for another is invalid_scope.
 */
export function resourceIndicators(servers: readonly ResourceServer[]): ResourceIndicators {
  return {
    enabled: true,
    defaultResource: async (ctx, client, oneOf) => {
      if (oneOf) return oneOf[0];
      if (ctx.oidc.params?.grant_type !== 'client_credentials') return undefined;
      return clientCredentialsResource(servers, extra(client), requestedScopes(ctx));
    },
    // The code exchange yields a token for userinfo; an API token is asked for with resource= (RFC 8707).
    useGrantedResource: async () => false,
    getResourceServerInfo: async (ctx, indicator, client) => {
      const server = servers.find((r) => r.indicator === indicator);
      const meta = extra(client);
      const allowed = meta.allowed_resources ?? [];
      if (!server || !allowed.includes(indicator)) throw new errors.InvalidTarget();
      if (server.governmentOnly && meta.organization_type !== 'government') throw new errors.InvalidTarget();
      const machine = ctx.oidc.params?.grant_type === 'client_credentials';
      const registered = new Set(String(client.scope ?? '').split(' '));
      // A machine token acts for no person: never a person scope, even when the client also has it for
      // its people's sign-ins (review R2).
      const scope = machine
        ? server.scope.split(' ').filter((s) => registered.has(s) && !server.personScopes.includes(s))
        : [...server.personScopes];
      if (machine) {
        const refused = requestedScopes(ctx).filter((s) => !scope.includes(s));
        if (refused.length > 0 || scope.length === 0) {
          throw new errors.InvalidScope('requested scope is not allowed', refused.join(' '));
        }
      }
      return {
        scope: scope.join(' '),
        audience: server.indicator,
        accessTokenTTL: machine ? server.clientCredentialsTtl : server.accessTokenTtl,
        accessTokenFormat: server.format,
        ...(server.format === 'jwt' ? { jwt: { sign: { alg: 'ES256' as const } } } : {}),
      };
    },
  };
}

/** The claims a service API's access token carries, each under the scope that releases it. */
const TOKEN_CLAIMS: [string, string][] = [
  ['profile', 'name#ar'],
  ['profile', 'name#en'],
  ['national_id', 'national_id'],
  ['phone', 'phone_number'],
  ['email', 'email'],
];

/**
 * A service's API learns the caller's name (Arabic and English: Form 58 prints both), national ID and
 * contacts from its token, within what the person granted the client (it cannot call userinfo with a token
 * whose audience is the API).
 */
export function serviceTokenClaims(opts: {
  servers: readonly ResourceServer[];
  findAccount: FindAccount;
}): NonNullable<Configuration['extraTokenClaims']> {
  return async (ctx, token) => {
    // Tokens minted outside a request (operations code) have no context, hence no grant: nothing to add.
    if (!ctx?.oidc || token.kind !== 'AccessToken' || !token.resourceServer || !token.accountId)
      return undefined;
    const audience = token.resourceServer.audience;
    const server = opts.servers.find((r) => r.indicator === audience);
    if (server?.format !== 'jwt') return undefined;
    const granted = new Set((ctx.oidc.grant?.getOIDCScope() ?? '').split(' '));
    const account = await opts.findAccount(ctx, token.accountId, token);
    if (!account) return undefined;
    // The session the token was issued in: the API refuses it once told the session ended (review R8).
    const sid = typeof token.sid === 'string' ? { sid: token.sid } : {};
    const claims = (await account.claims('userinfo', [...granted].join(' '), {}, [])) as Record<
      string,
      unknown
    >;
    return {
      ...sid,
      ...Object.fromEntries(
        TOKEN_CLAIMS.filter(([scope, claim]) => granted.has(scope) && claims[claim] !== undefined).map(
          ([, claim]) => [claim, claims[claim]],
        ),
      ),
    };
  };
}
