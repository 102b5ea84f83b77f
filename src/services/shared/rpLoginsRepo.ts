import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../shared/clock.js';

/** What /login keeps for /callback: the PKCE verifier, state and nonce. */
export interface LoginTransaction {
  verifier: string;
  state: string;
  nonce: string;
}

export interface RpLogins {
  /** stores a pending sign-in; returns the random handle for the browser's cookie */
  start(tx: LoginTransaction): Promise<string>;
  /** removes and returns the pending sign-in: single use, even across processes */
  take(handle: string | undefined): Promise<LoginTransaction | undefined>;
  purgeExpired(): Promise<number>;
}

const TABLE = 'service_logins';

function idOf(handle: string): string {
  return createHash('sha256').update(handle).digest('base64url');
}

/** A service's pending sign-ins in the database (table service_logins), shared by its processes. */
export function createRpLogins(opts: {
  db: Knex;
  clock: Clock;
  /** the service's client id */
  service: string;
  /** how long a sign-in may take, milliseconds (10 minutes) */
  ttlMs?: number;
  /** the oldest pending sign-ins are dropped beyond this (10,000): /login needs no account */
  maxPending?: number;
}): RpLogins {
  const { db, clock, service } = opts;
  const ttlMs = opts.ttlMs ?? 10 * 60_000;
  const maxPending = opts.maxPending ?? 10_000;
  const live = () => db(TABLE).where({ service }).where('expires_at', '>', clock.now());

  return {
    async start(tx) {
      const handle = randomBytes(32).toString('base64url');
      const now = clock.now();
      await db(TABLE).insert({
        id: idOf(handle),
        service,
        data: JSON.stringify(tx),
        created_at: now,
        expires_at: now + ttlMs,
      });
      const [row] = await live().count({ n: '*' });
      const excess = Number(row?.n ?? 0) - maxPending;
      if (excess > 0) {
        const oldest = await live().orderBy('created_at', 'asc').limit(excess).select('id');
        await db(TABLE)
          .whereIn(
            'id',
            oldest.map((r: { id: string }) => r.id),
          )
          .delete();
      }
      return handle;
    },
    async take(handle) {
      if (!handle || handle.length > 100) return undefined;
      const row = await db(TABLE)
        .where({ id: idOf(handle), service })
        .first();
      if (!row) return undefined;
      // Whoever deletes the row owns the sign-in; a concurrent replay finds nothing to delete.
      const deleted = await db(TABLE).where({ id: row.id }).delete();
      if (deleted !== 1 || Number(row.expires_at) <= clock.now()) return undefined;
      return JSON.parse(row.data) as LoginTransaction;
    },
    async purgeExpired() {
      return db(TABLE).where({ service }).where('expires_at', '<=', clock.now()).delete();
    },
  };
}
