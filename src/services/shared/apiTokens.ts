import type { Context } from 'koa';
import { type Configuration, refreshTokenGrant } from 'openid-client';
import { serviceUris } from '../../shared/serviceRegistry.js';
import { describeError } from './describeError.js';
import { currentSession } from './middleware/loadSession.js';
import type { ApiTokens } from './rpSessionsRepo.js';
import type { CalledApi, RpSignInDeps } from './rpSignInDeps.js';

// Renewed a little before it expires, so that a page's API call never carries a token about to lapse.
const RENEW_BEFORE_MS = 30_000;

/** The other services' APIs this service calls with the person's token (the same grant's resources). */
export function calledApis(deps: Pick<RpSignInDeps, 'calledApis'>): readonly CalledApi[] {
  return deps.calledApis;
}

/**
 * A token for one API (resource indicator, RFC 8707) from the refresh token of a sign-in: the code gave a
 * token for userinfo, this one's audience is the API. Undefined when Hawiya gave none. Refresh tokens rotate:
 * the answer's refresh token replaces the one used.
 */
async function tokenFor(opts: {
  deps: Pick<RpSignInDeps, 'clock' | 'logger'>;
  config: Configuration;
  refreshToken: string | undefined;
  resource: string;
}): Promise<{ accessToken: string; expiresAt: number; refreshToken: string } | undefined> {
  const { deps } = opts;
  if (!opts.refreshToken) return undefined;
  try {
    const tokens = await refreshTokenGrant(opts.config, opts.refreshToken, { resource: opts.resource });
    return {
      accessToken: tokens.access_token,
      expiresAt: deps.clock.now() + (tokens.expires_in ?? 0) * 1000,
      refreshToken: tokens.refresh_token ?? opts.refreshToken,
    };
  } catch (err) {
    deps.logger.warn({ err: describeError(err), resource: opts.resource }, 'no API token for the session');
    return undefined;
  }
}

/** The token for the service's own API at sign-in. */
export async function apiTokensFrom(opts: {
  deps: Pick<RpSignInDeps, 'baseUrl' | 'clock' | 'logger'>;
  config: Configuration;
  refreshToken: string | undefined;
}): Promise<ApiTokens | undefined> {
  return tokenFor({ ...opts, resource: serviceUris(opts.deps.baseUrl).apiResource });
}

/**
 * The signed-in person's token for `resource` (the service's own API by default, or another service's API
 * of the same grant), renewed with the refresh token when it is about to expire; the rotated refresh token
 * is kept. Undefined when there is none or Hawiya refuses (the Hawiya session ended): the person signs in
 * again. Callers ask for one token at a time per request: a refresh token replayed would end the grant.
 */
export async function sessionApiToken(
  deps: RpSignInDeps,
  ctx: Context,
  resource?: string,
): Promise<string | undefined> {
  const current = currentSession(ctx);
  const api = current?.session.api;
  if (!current || !api) return undefined;
  const own = serviceUris(deps.baseUrl).apiResource;
  const target = resource ?? own;
  const held = target === own ? api : api.others?.[target];
  if (held && held.expiresAt - RENEW_BEFORE_MS > deps.clock.now()) return held.accessToken;
  const renewed = await tokenFor({
    deps,
    config: await deps.idp.configuration(),
    refreshToken: api.refreshToken,
    resource: target,
  });
  if (!renewed) return undefined;
  const fresh = { accessToken: renewed.accessToken, expiresAt: renewed.expiresAt };
  const next: ApiTokens =
    target === own
      ? { ...api, ...fresh, refreshToken: renewed.refreshToken }
      : { ...api, refreshToken: renewed.refreshToken, others: { ...api.others, [target]: fresh } };
  await deps.sessions.saveApiTokens(current.id, next);
  current.session.api = next;
  return renewed.accessToken;
}
