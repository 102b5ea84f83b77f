import type { Clock } from '../shared/clock.js';
import type { Metrics } from './createMetrics.js';

/** What the IdP's core offers these gauges (its key store's rows, as keys/keysRepo.ts returns them). */
interface WatchedIdp {
  db: { client: unknown };
  clock: Clock;
  keyStore: {
    repo: {
      list(): Promise<
        { kid: string; alg: string; state: string; createdAt: number; activatedAt: number | null }[]
      >;
    };
  };
}

/**
 * The IdP's gauges read at scrape time: its database pool, and the age of each published signing key (since
 * it became current, or was published as next), by the IdP's clock. Returns what stops the key readings.
 */
export function watchIdp(metrics: Metrics, core: WatchedIdp): () => void {
  metrics.watchPool('idp', core.db);
  return metrics.watchKeys(async () => {
    const now = core.clock.now();
    return (await core.keyStore.repo.list())
      .filter((k) => k.state !== 'retired')
      .map((k) => ({
        kid: k.kid,
        alg: k.alg,
        state: k.state,
        ageSeconds: Math.max(0, (now - (k.activatedAt ?? k.createdAt)) / 1000),
      }));
  });
}
