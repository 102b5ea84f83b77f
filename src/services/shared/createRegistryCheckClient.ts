import { clientCredentialsGrant } from 'openid-client';
import { HawiyaError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { REGISTRY_CHECK } from '../../shared/serviceRegistry.js';
import type { IdpConnection } from './createIdpConnection.js';

export type HolderMatch = 'living' | 'deceased' | 'no_match';

export interface RegistryCheck {
  /** Asks Hawiya whether this national ID and name are a living or a deceased person; 503 when it cannot. */
  check(nationalId: string, name: string): Promise<HolderMatch>;
}

// A token is reused until shortly before it expires (it lives 5 minutes).
const EARLY_RENEW_MS = 30_000;

/**
 * Hawiya's registry check, asked with this service's own client-credentials token (scope registry:verify,
 * audience the check's URL): the service learns a match, never the registry's data.
 */
export function createRegistryCheckClient(opts: {
  issuer: string;
  idp: IdpConnection;
  logger: Logger;
  now?: () => number;
}): RegistryCheck {
  const url = `${opts.issuer}${REGISTRY_CHECK.path}`;
  const now = opts.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;

  async function token(): Promise<string> {
    if (cached && cached.expiresAt - EARLY_RENEW_MS > now()) return cached.token;
    const config = await opts.idp.configuration();
    const tokens = await clientCredentialsGrant(config, { scope: REGISTRY_CHECK.scope, resource: url });
    cached = { token: tokens.access_token, expiresAt: now() + (tokens.expires_in ?? 60) * 1000 };
    return cached.token;
  }

  async function ask(nationalId: string, name: string): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ national_id: nationalId, name }),
      signal: AbortSignal.timeout(5000),
    });
  }

  return {
    async check(nationalId, name) {
      try {
        let res = await ask(nationalId, name);
        if (res.status === 401) {
          // Revoked or lost on Hawiya's side (a restart with another database): one new token, once.
          cached = undefined;
          res = await ask(nationalId, name);
        }
        if (res.status !== 200) throw new Error(`registry check answered ${res.status}`);
        const { result } = (await res.json()) as { result?: unknown };
        if (result === 'living' || result === 'deceased' || result === 'no_match') return result;
        throw new Error('registry check gave no result');
      } catch (err) {
        opts.logger.warn({ err: (err as Error).message }, 'registry check failed');
        throw new HawiyaError('registry_unavailable', 503);
      }
    },
  };
}
