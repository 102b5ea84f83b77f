import type { Configuration } from 'oidc-provider';
import type { Clock } from '../shared/clock.js';
import { type SessionSettings, sessionTtl } from './sessionLimits.js';

const REFRESH_TOKEN_MAX_SECONDS = 30 * 24 * 3600;
const GRANT_SECONDS = 180 * 24 * 3600;

/** How long each artefact lives, seconds: an API's own token lifetime, a session's by its level. */
export function tokenLifetimes(deps: { clock: Clock; session: SessionSettings }): Configuration['ttl'] {
  return {
    AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
    AuthorizationCode: 60,
    IdToken: 3600,
    ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 300,
    Interaction: 1800,
    Grant: GRANT_SECONDS,
    // A rotated token keeps the family's absolute expiry.
    RefreshToken: (ctx) => {
      const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
      return rotated ? Math.max(1, rotated.remainingTTL) : REFRESH_TOKEN_MAX_SECONDS;
    },
    // Saved on every use, so the idle timeout restarts; both limits follow the session's level.
    Session: (_ctx, session) =>
      sessionTtl({
        acr: session.acr,
        loginTs: session.loginTs,
        nowSeconds: Math.floor(deps.clock.now() / 1000),
        settings: deps.session,
      }),
  };
}
