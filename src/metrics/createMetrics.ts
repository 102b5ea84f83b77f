import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** knex's (tarn) pool, as far as the gauges read it; SQLite's has its single connection. */
interface PoolLike {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

/** A published signing key and how long it has held its state. */
export interface KeyAge {
  kid: string;
  alg: string;
  state: string;
  ageSeconds: number;
}

/**
 * Every metric Hawiya exports, named once. Labels take values from short fixed sets (factor names, levels,
 * route templates, client ids, OAuth error codes); never a national ID, phone, e-mail, username, raw path
 * or address (checklist 44). One registry per process: the IdP and the services of that process share it,
 * told apart by `app`.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const pools = new Map<string, PoolLike>();
  const keySources = new Set<() => Promise<readonly KeyAge[]>>();
  return {
    registry,
    /** a database pool reported as `pool` (its size read at each scrape) */
    watchPool(name: string, db: { client: unknown }): void {
      const pool = (db.client as { pool?: PoolLike }).pool;
      if (pool) pools.set(name, pool);
    },
    /** where the signing keys' states come from (read at each scrape); removed again on close */
    watchKeys(source: () => Promise<readonly KeyAge[]>): () => void {
      keySources.add(source);
      return () => keySources.delete(source);
    },
    logins: new Counter({
      name: 'hawiya_logins_total',
      help: 'Login attempts by method (factors proven, or the factor that failed), level (acr) and result',
      labelNames: ['method', 'acr', 'result'] as const,
      registers,
    }),
    codes: new Counter({
      name: 'hawiya_codes_sent_total',
      help: 'One-time codes and notices handed to the SMS gateway or the mailer, by channel, purpose and result',
      labelNames: ['channel', 'purpose', 'result'] as const,
      registers,
    }),
    throttled: new Counter({
      name: 'hawiya_throttled_total',
      help: 'Attempts refused or slowed by a limit, and accounts locked or disabled, by action, counted per what and reason',
      labelNames: ['action', 'by', 'reason'] as const,
      registers,
    }),
    limited: new Counter({
      name: 'hawiya_http_limited_total',
      help: 'Answers 429 (a limit hit: logins, registrations, codes, registry checks, services), by app and route',
      labelNames: ['app', 'route'] as const,
      registers,
    }),
    tokens: new Counter({
      name: 'hawiya_tokens_issued_total',
      help: 'Tokens and codes issued by the provider, by kind, grant type and client',
      labelNames: ['kind', 'grant_type', 'client'] as const,
      registers,
    }),
    grants: new Counter({
      name: 'hawiya_token_requests_total',
      help: 'Token endpoint requests by grant type, client and result (ok, or the OAuth error code)',
      labelNames: ['grant_type', 'client', 'result'] as const,
      registers,
    }),
    requests: new Histogram({
      name: 'hawiya_http_request_duration_seconds',
      help: 'Request latency by app, method, route template and status class',
      labelNames: ['app', 'method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    pool: new Gauge({
      name: 'hawiya_db_pool_connections',
      help: 'Database pool connections by pool and state (used, free, pending: requests waiting for one)',
      labelNames: ['pool', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const [name, p] of pools) {
          this.set({ pool: name, state: 'used' }, p.numUsed());
          this.set({ pool: name, state: 'free' }, p.numFree());
          this.set({ pool: name, state: 'pending' }, p.numPendingAcquires() + p.numPendingCreates());
        }
      },
    }),
    keyAges: new Gauge({
      name: 'hawiya_signing_key_age_seconds',
      help: 'Seconds since each published signing key took its state (activated; published for a next key)',
      labelNames: ['kid', 'alg', 'state'] as const,
      // every worker reads the same table: the cluster's value is any one of theirs, not their sum
      aggregator: 'max',
      registers,
      async collect() {
        this.reset();
        for (const source of keySources) {
          for (const k of await source()) this.set({ kid: k.kid, alg: k.alg, state: k.state }, k.ageSeconds);
        }
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
