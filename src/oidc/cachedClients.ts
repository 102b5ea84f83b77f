import type { AdapterPayload } from 'oidc-provider';
import type { ClientsFreshness } from './clientsFreshness.js';

// Relying parties are registered by an administrator: a few hundred at most. Past this, the copy starts afresh.
const MAX_CLIENTS = 1000;

/**
 * Client metadata kept in memory while `freshness` says no client changed since it was read: the client
 * lookup every token request makes (its authentication, or the client a token belongs to) then costs no
 * statement. The same object is handed out each time, as oidc-provider keeps its Client objects by the
 * metadata's hash (it reads the metadata, never changes it). Unknown client ids are not kept (anyone can
 * present one). Without freshness, every lookup reads.
 */
export function cachedClients(
  read: (clientId: string) => Promise<AdapterPayload | undefined>,
  freshness: ClientsFreshness | undefined,
): (clientId: string) => Promise<AdapterPayload | undefined> {
  if (!freshness) return read;
  const kept = new Map<string, AdapterPayload>();
  let keptAt: string | undefined;
  return async function findClient(clientId) {
    const stamp = await freshness.stamp();
    if (stamp === undefined) return read(clientId);
    if (stamp !== keptAt) {
      kept.clear();
      keptAt = stamp;
    }
    const copy = kept.get(clientId);
    if (copy) return copy;
    const found = await read(clientId);
    // Read under this stamp: a change made meanwhile has changed the stamp, and the next lookup drops it.
    if (found && keptAt === stamp) {
      if (kept.size >= MAX_CLIENTS) kept.clear();
      kept.set(clientId, found);
    }
    return found;
  };
}
