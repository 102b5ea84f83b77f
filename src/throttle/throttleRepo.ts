import type { Knex } from 'knex';

export interface ThrottleHit {
  count: number;
  /** epoch ms when the window ends */
  expiresAt: number;
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  // better-sqlite3 returns the rows; pg returns { rows }
  return Array.isArray(result) ? result : ((result as { rows: Record<string, unknown>[] }).rows ?? []);
}

/** Counters in the database, so every worker and node sees the same count. */
export function createThrottleRepo(db: Knex) {
  return {
    /** Adds one to the counter of `key` (a new window once the old one has ended); atomic on both engines. */
    async hit(key: string, now: number, windowMs: number, trx?: Knex): Promise<ThrottleHit> {
      const result = await (trx ?? db).raw(
        `insert into throttles ("key", "count", window_started_at, expires_at) values (?, 1, ?, ?)
         on conflict ("key") do update set
           "count" = case when throttles.expires_at <= ? then 1 else throttles."count" + 1 end,
           window_started_at = case when throttles.expires_at <= ? then excluded.window_started_at else throttles.window_started_at end,
           expires_at = case when throttles.expires_at <= ? then excluded.expires_at else throttles.expires_at end
         returning "count", expires_at`,
        [key, now, now + windowMs, now, now, now],
      );
      const row = rowsOf(result)[0] ?? {};
      return { count: Number(row.count), expiresAt: Number(row.expires_at) };
    },
    /** Takes `key` for `ttlMs` unless someone holds it (atomic on both engines); false when held. */
    async tryAcquire(key: string, now: number, ttlMs: number, trx?: Knex): Promise<boolean> {
      const result = await (trx ?? db).raw(
        `insert into throttles ("key", "count", window_started_at, expires_at) values (?, 1, ?, ?)
         on conflict ("key") do update set "count" = 1, window_started_at = excluded.window_started_at,
           expires_at = excluded.expires_at
         where throttles.expires_at <= ?
         returning "key"`,
        [key, now, now + ttlMs, now],
      );
      return rowsOf(result).length === 1;
    },
    async peek(key: string, now: number): Promise<ThrottleHit | undefined> {
      const row = await db('throttles').where({ key }).andWhere('expires_at', '>', now).first();
      return row ? { count: Number(row.count), expiresAt: Number(row.expires_at) } : undefined;
    },
    async reset(key: string, trx?: Knex): Promise<void> {
      await (trx ?? db)('throttles').where({ key }).delete();
    },
    async purgeExpired(now: number): Promise<number> {
      return db('throttles').where('expires_at', '<=', now).delete();
    },
  };
}

export type ThrottleRepo = ReturnType<typeof createThrottleRepo>;
