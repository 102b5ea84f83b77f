import type { Knex } from 'knex';
import type { Clock } from '../../shared/clock.js';

/**
 * How many registry checks one person may cause: a report takes two (the details page and the
 * confirmation), so ten in ten minutes leaves room for a few reports and typing mistakes, while one person
 * can no longer use up the service's per-client allowance at Hawiya (120 a minute) for everyone.
 */
export const CHECKS_PER_PERSON = { limit: 10, windowSeconds: 600 };

const TABLE = 'loss_report_check_counts';

/** Whether this check may go to Hawiya, or how long the person must wait. */
export type CheckAllowance = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Owns `loss_report_check_counts`: a fixed-window counter per person, shared by every process. */
export function createRegistryCheckLimit(deps: {
  db: Knex;
  clock: Clock;
  limit?: { limit: number; windowSeconds: number };
}) {
  const { db, clock } = deps;
  const { limit, windowSeconds } = deps.limit ?? CHECKS_PER_PERSON;
  const windowMs = windowSeconds * 1000;
  return {
    /** Counts one check for the person; refused (and not counted further) past the limit. */
    async take(sub: string): Promise<CheckAllowance> {
      const now = clock.now();
      const windowStart = Math.floor(now / windowMs) * windowMs;
      // One statement on both engines: concurrent checks of one person each see their own count.
      const rows = await db(TABLE)
        .insert({ reporter_sub: sub, window_start: windowStart, count: 1 })
        .onConflict(['reporter_sub', 'window_start'])
        .merge({ count: db.raw('??.?? + 1', [TABLE, 'count']) })
        .returning('count');
      const count = Number((rows[0] as { count: number | string } | undefined)?.count ?? 1);
      if (count === 1)
        await db(TABLE).where({ reporter_sub: sub }).where('window_start', '<', windowStart).delete();
      if (count <= limit) return { allowed: true };
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
      };
    },
  };
}

export type RegistryCheckLimit = ReturnType<typeof createRegistryCheckLimit>;
