import type { Knex } from 'knex';

/** The `recovery_codes` table: hashes only, each usable once. */
export function createRecoveryCodesRepo(db: Knex) {
  return {
    /** A new set in place of the old one (the old codes stop working). */
    async replace(accountId: string, hashes: readonly string[], at: number): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('recovery_codes').where({ account_id: accountId }).delete();
        await trx('recovery_codes').insert(
          hashes.map((h) => ({ account_id: accountId, code_hash: h, created_at: at, used_at: null })),
        );
      });
    },
    /** Marks an unused code as used; false when there is none (wrong, or used already). Atomic. */
    async use(accountId: string, hash: string, at: number): Promise<boolean> {
      const n = await db('recovery_codes')
        .where({ account_id: accountId, code_hash: hash })
        .whereNull('used_at')
        .update({ used_at: at });
      return n > 0;
    },
    /** How many of the set are left, how many in all, and when one was last used. */
    async summary(accountId: string): Promise<{ total: number; left: number; lastUsedAt: number | null }> {
      const rows = await db('recovery_codes').where({ account_id: accountId }).select('used_at');
      const used = rows
        .map((r) => r.used_at)
        .filter((u) => u !== null && u !== undefined)
        .map(Number);
      return {
        total: rows.length,
        left: rows.length - used.length,
        lastUsedAt: used.length > 0 ? Math.max(...used) : null,
      };
    },
    async removeAll(accountId: string): Promise<void> {
      await db('recovery_codes').where({ account_id: accountId }).delete();
    },
  };
}

export type RecoveryCodesRepo = ReturnType<typeof createRecoveryCodesRepo>;
