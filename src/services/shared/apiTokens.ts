import type { Context } from 'koa';
import { type Configuration, refreshTokenGrant } from 'openid-client';
import { serviceUris } from '../../shared/serviceRegistry.js';
import { describeError } from './describeError.js';
import { currentSession } from './middleware/loadSession.js';
import type { ApiTokens } from './rpSessionsRepo.js';
import type { CalledApi, RpSignInDeps } from './rpSignInDeps.js';

// Renewed a little before it expires, so that a page's API call never carries a token about to lapse.
const RENEW_BEFORE_MS = 30_000;
// One renewal per session at a time: the claim outlives a slow refresh (openid-client waits 30 s at most);
// a request finding it held looks for the result this often.
const RENEWAL_LEASE_MS = 35_000;
const RENEWAL_POLL_MS = 100;

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

/** The token held for `target` in `api`, when it is not about to expire. */
function freshToken(api: ApiTokens, target: string, own: string, now: number): string | undefined {
  const held = target === own ? api : api.others?.[target];
  return held && held.expiresAt - RENEW_BEFORE_MS > now ? held.accessToken : undefined;
}

/**
 * The signed-in person's token for `resource` (the service's own API by default, or another service's API
 * of the same grant), renewed with the refresh token when it is about to expire; the rotated refresh token
 * is kept. Undefined when there is none or Hawiya refuses (the Hawiya session ended): the person signs in
 * again.
 *
 * Renewals of one session are serialised across requests and processes: refresh tokens rotate, and a
 * second refresh with the one just used would look like theft to Hawiya, which ends the grant. A request
 * that finds another renewing waits for the stored result and takes the token from it.
 */
export async function sessionApiToken(
  deps: RpSignInDeps,
  ctx: Context,
  resource?: string,
): Promise<string | undefined> {
  const current = currentSession(ctx);
  if (!current?.session.api) return undefined;
  const own = serviceUris(deps.baseUrl).apiResource;
  const target = resource ?? own;
  const ready = freshToken(current.session.api, target, own, deps.clock.now());
  if (ready) return ready;
  const giveUpAt = Date.now() + RENEWAL_LEASE_MS + RENEWAL_POLL_MS;
  while (Date.now() < giveUpAt) {
    if (await deps.sessions.claimRenewal(current.id, RENEWAL_LEASE_MS)) {
      try {
        return await renew(deps, { id: current.id, session: current.session }, { own, target });
      } finally {
        await deps.sessions.releaseRenewal(current.id);
      }
    }
    await new Promise((r) => setTimeout(r, RENEWAL_POLL_MS));
    const stored = await deps.sessions.readApiTokens(current.id);
    if (!stored) return undefined;
    current.session.api = stored;
    const renewedElsewhere = freshToken(stored, target, own, deps.clock.now());
    if (renewedElsewhere) return renewedElsewhere;
  }
  deps.logger.warn({ resource: target }, 'API token renewal still held by another request');
  return undefined;
}

/** Holding the session's renewal claim: renews from the refresh token stored now, unless already done. */
async function renew(
  deps: RpSignInDeps,
  current: { id: string; session: { api?: ApiTokens } },
  at: { own: string; target: string },
): Promise<string | undefined> {
  const api = (await deps.sessions.readApiTokens(current.id)) ?? current.session.api;
  if (!api) return undefined;
  current.session.api = api;
  const done = freshToken(api, at.target, at.own, deps.clock.now());
  if (done) return done;
  const renewed = await tokenFor({
    deps,
    config: await deps.idp.configuration(),
    refreshToken: api.refreshToken,
    resource: at.target,
  });
  if (!renewed) return undefined;
  const fresh = { accessToken: renewed.accessToken, expiresAt: renewed.expiresAt };
  const next: ApiTokens =
    at.target === at.own
      ? { ...api, ...fresh, refreshToken: renewed.refreshToken }
      : { ...api, refreshToken: renewed.refreshToken, others: { ...api.others, [at.target]: fresh } };
  await deps.sessions.saveApiTokens(current.id, next);
  current.session.api = next;
  return renewed.accessToken;
}
