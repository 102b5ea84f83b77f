import type { KoaContextWithOIDC } from 'oidc-provider';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/databaseUnavailable.js';
import type { PreparedStatements } from '../db/preparedStatements.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { DisclosuresRepo } from './disclosuresRepo.js';
import { createRecentNotes } from './recentNotes.js';

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

/** A userinfo answer the same as one recorded this long ago or less is not recorded again: an access token's life. */
export const REPEATED_USERINFO_MS = 10 * 60 * 1000;
const REMEMBERED_USERINFO = 10_000;

/**
 * Records, after oidc-provider has answered, what left for a relying party: the ID token and access token
 * of a token response (authorization code or refresh, in one statement), and each userinfo answer. Read
 * from the answer itself, so the record is exactly what the relying party received. A userinfo answer that
 * releases the same claims under the same grant and scopes as one this node recorded less than
 * REPEATED_USERINFO_MS ago is the same release, not recorded again: a service reading userinfo on every
 * page would otherwise write (and sync to disk) on every call and bury the person's list under copies.
 * A record that cannot be written is logged, never turned into a failed answer.
 *
 * A token answer's writes (its access and refresh tokens, and this record) are held until the answer is
 * ready and then committed together (`holdWrites`): one commit where there were three, and the answer
 * leaves only once they are on disk. If the tokens cannot be stored, the answer is server_error.
 */
export function recordDisclosures(deps: {
  repo: DisclosuresRepo;
  holdWrites: PreparedStatements['holdingWrites'];
  clock: Clock;
  logger: Logger;
}) {
  // what was last recorded for each grant (or account and client), and when
  const recentUserinfo = createRecentNotes({ withinMs: REPEATED_USERINFO_MS, max: REMEMBERED_USERINFO });

  const failedRecord = (err: unknown) => deps.logger.error({ err }, 'a disclosure could not be recorded');

  return async function recordDisclosures(ctx: KoaContextWithOIDC, next: () => Promise<void>) {
    // only the token endpoint (a POST) issues tokens to hold
    if (ctx.method !== 'POST') {
      await next();
      await record(ctx);
      return;
    }
    let answered = false;
    try {
      await deps.holdWrites(async () => {
        await next();
        answered = true;
        await record(ctx);
      });
    } catch (err) {
      if (!answered) throw err;
      // the tokens in the body were not stored: they must not leave
      deps.logger.error({ err }, 'the tokens of an answer could not be stored');
      const unavailable = isDatabaseUnavailable(err);
      if (unavailable) ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      ctx.status = unavailable ? 503 : 500;
      ctx.body = {
        error: 'server_error',
        error_description: unavailable
          ? 'the service is temporarily unavailable, try again shortly'
          : 'oops! something went wrong',
      };
    }
  };

  async function record(ctx: KoaContextWithOIDC): Promise<void> {
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
        const accessToken = jwtPayload(body.access_token);
        await deps.repo.insertWithAnswer(
          [
            ...(idToken
              ? [
                  {
                    ...base,
                    acr: typeof idToken.acr === 'string' ? idToken.acr : base.acr,
                    channel: 'id_token' as const,
                    scopes,
                    claims: personClaims(idToken),
                    resource: null,
                  },
                ]
              : []),
            {
              ...base,
              channel: 'access_token',
              scopes,
              // an opaque token carries nothing readable; a JWT one (for an API) carries what it names
              claims: accessToken ? personClaims(accessToken) : [],
              resource: typeof accessToken?.aud === 'string' ? accessToken.aud : null,
            },
          ],
          failedRecord,
        );
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
      const scopes = String(token.scope ?? '')
        .split(' ')
        .filter(Boolean);
      const claims = personClaims(body);
      const release = JSON.stringify([scopes, claims]);
      const key = grantId ?? `${accountId} ${clientId}`;
      if (recentUserinfo.repeats(key, release, at)) return;
      await deps.repo.insertUserinfo({ accountId, clientId, grantId, at, scopes, claims });
      recentUserinfo.note(key, release, at);
    } catch (err) {
      deps.logger.error({ err, route }, 'a disclosure could not be recorded');
    }
  }
}
