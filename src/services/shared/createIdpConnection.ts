import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { allowInsecureRequests, ClientSecretBasic, type Configuration, discovery } from 'openid-client';
import type { Logger } from '../../shared/logger.js';

export interface IdpConnection {
  /** Hawiya's discovered metadata and this client's credentials; rejects while Hawiya is unreachable */
  configuration(): Promise<Configuration>;
  /** Hawiya's signing keys (cached and refreshed by jose), for back-channel logout tokens */
  jwks(): Promise<JWTVerifyGetKey>;
}

// Give up quickly so the citizen sees the "try again" page instead of a hanging tab.
const DISCOVERY_TIMEOUT_SECONDS = 5;
// A token signed with a key not in the cached JWKS makes jose fetch it again, but not within this long of
// the last fetch (jose's default is 30 s). After an emergency rotation (`keys rotate --now`) the new key was
// never published before, so for that long every new token would be refused. One fetch a second at most
// is nothing for Hawiya, even when someone sends tokens with made-up key ids.
const JWKS_COOLDOWN_MS = 1000;

/**
 * Discovery is lazy (first sign-in) and retried on the next request after a failure, so a service can
 * start before the identity provider is reachable.
 */
export function createIdpConnection(opts: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  logger: Logger;
}): IdpConnection {
  let pending: Promise<{ config: Configuration; jwks: JWTVerifyGetKey }> | undefined;
  // Plain http is for a local issuer in development only; config refuses an http issuer in production.
  const insecure = opts.issuer.startsWith('http://');

  async function discover() {
    const config = await discovery(
      new URL(opts.issuer),
      opts.clientId,
      opts.clientSecret,
      ClientSecretBasic(opts.clientSecret),
      { timeout: DISCOVERY_TIMEOUT_SECONDS, ...(insecure ? { execute: [allowInsecureRequests] } : {}) },
    );
    const jwksUri = config.serverMetadata().jwks_uri;
    if (!jwksUri) throw new Error('discovery document has no jwks_uri');
    opts.logger.info({ issuer: opts.issuer }, 'identity provider discovered');
    return { config, jwks: createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: JWKS_COOLDOWN_MS }) };
  }

  function connect() {
    if (!pending) {
      pending = discover().catch((err: unknown) => {
        pending = undefined;
        opts.logger.warn(
          { err: (err as Error).message, issuer: opts.issuer },
          'identity provider discovery failed',
        );
        throw err;
      });
    }
    return pending;
  }

  return {
    configuration: async () => (await connect()).config,
    jwks: async () => (await connect()).jwks,
  };
}
