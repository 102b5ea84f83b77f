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
    // With the database down or slow the scrape still answers (pool, requests, process), without key ages,
    // and within a scrape timeout.
    const keys = await withinMs(KEYS_READ_MS, core.keyStore.repo.list()).catch(() => []);
    return keys
      .filter((k) => k.state !== 'retired')
      .map((k) => ({
        kid: k.kid,
        alg: k.alg,
        state: k.state,
        ageSeconds: Math.max(0, (now - (k.activatedAt ?? k.createdAt)) / 1000),
      }));
  });
}

const KEYS_READ_MS = 2000;

function withinMs<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('too slow')), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
