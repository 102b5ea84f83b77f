import type { Knex } from 'knex';

/**
 * Leases on jobs that every node runs but only one may do at a time. Taking a lease is one conditional
 * UPDATE of the job's row: SQLite runs one writer at a time, and PostgreSQL re-checks the condition on the
 * row it locked, so of two nodes racing exactly one sees its update count 1. No connection is held while
 * the job runs (SQLite has only one, and a key generation takes a while).
 */
export function createScheduleLeasesRepo(db: Knex) {
  return {
    async acquire(opts: { name: string; holder: string; now: number; ttlMs: number }): Promise<boolean> {
      await db('schedule_leases')
        .insert({ name: opts.name, holder: null, lease_until: 0 })
        .onConflict('name')
        .ignore();
      const taken = await db('schedule_leases')
        .where({ name: opts.name })
        .andWhere((q) => q.whereNull('holder').orWhere('lease_until', '<=', opts.now))
        .update({ holder: opts.holder, lease_until: opts.now + opts.ttlMs });
      return taken === 1;
    },
    async release(opts: { name: string; holder: string }): Promise<void> {
      await db('schedule_leases')
        .where({ name: opts.name, holder: opts.holder })
        .update({ holder: null, lease_until: 0 });
    },
  };
}

export type ScheduleLeasesRepo = ReturnType<typeof createScheduleLeasesRepo>;
