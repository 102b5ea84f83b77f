import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { DisclosuresRepo } from './disclosuresRepo.js';

/** Claims about the token itself, not about the person: never listed as released data. */
const PROTOCOL_CLAIMS = new Set([
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'nonce',
  'at_hash',
  'c_hash',
  's_hash',
  'azp',
  'sid',
  'auth_time',
  'acr',
  'amr',
  'client_id',
  'scope',
  'cnf',
  'token_type',
]);

/** The payload of a JWT the provider has just signed (compact form), or undefined. */
export function jwtPayload(jwt: unknown): Record<string, unknown> | undefined {
  if (typeof jwt !== 'string') return undefined;
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The claim names about the person in what was released (sub included: it identifies them). */
export function personClaims(payload: Record<string, unknown>): string[] {
  return Object.keys(payload)
    .filter((k) => !PROTOCOL_CLAIMS.has(k))
    .sort();
}

/**
 * Records, after oidc-provider has answered, what left for a relying party: the ID token and access token
 * of a token response (authorization code or refresh), and each userinfo answer. Read from the answer
 * itself, so the record is exactly what the relying party received. A record that cannot be written is
 * logged, never turned into a failed answer.
 */
export function recordDisclosures(deps: { repo: DisclosuresRepo; clock: Clock; logger: Logger }) {
  return async function recordDisclosures(ctx: KoaContextWithOIDC, next: () => Promise<void>) {
    await next();
    const route = ctx.oidc?.route;
    if (ctx.status !== 200 || (route !== 'token' && route !== 'userinfo')) return;
    try {
      const at = deps.clock.now();
      if (route === 'token') {
        const body = ctx.body as Record<string, unknown>;
        const { entities } = ctx.oidc;
        const issued = entities.AuthorizationCode ?? entities.RefreshToken;
        const accountId = issued?.accountId;
        const clientId = ctx.oidc.client?.clientId;
        if (!issued || !accountId || !clientId) return;
        const scopes = typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : [];
        const base = { accountId, clientId, grantId: issued.grantId ?? null, at, acr: issued.acr ?? null };
        const idToken = jwtPayload(body.id_token);
        if (idToken)
          await deps.repo.insert({
            ...base,
            acr: typeof idToken.acr === 'string' ? idToken.acr : base.acr,
            channel: 'id_token',
            scopes,
            claims: personClaims(idToken),
            resource: null,
          });
        const accessToken = jwtPayload(body.access_token);
        const resource = typeof accessToken?.aud === 'string' ? accessToken.aud : null;
        await deps.repo.insert({
          ...base,
          channel: 'access_token',
          scopes,
          // an opaque token carries nothing readable; a JWT one (for an API) carries what it names
          claims: accessToken ? personClaims(accessToken) : [],
          resource,
        });
        return;
      }
      const token = ctx.oidc.accessToken;
      const accountId = token?.accountId;
      const clientId = token?.clientId;
      if (!token || !accountId || !clientId) return;
      const body =
        typeof ctx.body === 'string' ? jwtPayload(ctx.body) : (ctx.body as Record<string, unknown>);
      if (!body) return;
      const grantId = token.grantId ?? null;
      await deps.repo.insert({
        accountId,
        clientId,
        grantId,
        at,
        channel: 'userinfo',
        acr: grantId ? await deps.repo.lastAcr(accountId, grantId) : null,
        scopes: String(token.scope ?? '')
          .split(' ')
          .filter(Boolean),
        claims: personClaims(body),
        resource: null,
      });
    } catch (err) {
      deps.logger.error({ err, route }, 'a disclosure could not be recorded');
    }
  };
}
