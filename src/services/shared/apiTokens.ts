import type { Context } from 'koa';
import { type Configuration, refreshTokenGrant } from 'openid-client';
import { serviceUris } from '../../shared/serviceRegistry.js';
import { describeError } from './describeError.js';
import { currentSession } from './middleware/loadSession.js';
import type { ApiTokens } from './rpSessionsRepo.js';
import type { RpSignInDeps } from './rpSignInDeps.js';

// Renewed a little before it expires, so that a page's API call never carries a token about to lapse.
const RENEW_BEFORE_MS = 30_000;

/**
 * A token for the service's own API (resource indicator, RFC 8707) from the refresh token of a sign-in:
 * the code gave a token for userinfo, this one's audience is the API. Undefined when Hawiya gave none.
 */
export async function apiTokensFrom(opts: {
  deps: Pick<RpSignInDeps, 'baseUrl' | 'clock' | 'logger'>;
  config: Configuration;
  refreshToken: string | undefined;
}): Promise<ApiTokens | undefined> {
  const { deps } = opts;
  if (!opts.refreshToken) return undefined;
  try {
    const tokens = await refreshTokenGrant(opts.config, opts.refreshToken, {
      resource: serviceUris(deps.baseUrl).apiResource,
    });
    return {
      accessToken: tokens.access_token,
      expiresAt: deps.clock.now() + (tokens.expires_in ?? 0) * 1000,
      refreshToken: tokens.refresh_token ?? opts.refreshToken,
    };
  } catch (err) {
    deps.logger.warn({ err: describeError(err) }, 'no API token for the session');
    return undefined;
  }
}

/**
 * The signed-in person's API token, renewed with the refresh token when it is about to expire (refresh
 * tokens rotate: the new one is kept). Undefined when there is none or Hawiya refuses (the Hawiya session
 * ended): the person signs in again.
 */
export async function sessionApiToken(deps: RpSignInDeps, ctx: Context): Promise<string | undefined> {
  const current = currentSession(ctx);
  const api = current?.session.api;
  if (!current || !api) return undefined;
  if (api.expiresAt - RENEW_BEFORE_MS > deps.clock.now()) return api.accessToken;
  const renewed = await apiTokensFrom({
    deps,
    config: await deps.idp.configuration(),
    refreshToken: api.refreshToken,
  });
  if (!renewed) return undefined;
  await deps.sessions.saveApiTokens(current.id, renewed);
  current.session.api = renewed;
  return renewed.accessToken;
}
