import type { Knex } from 'knex';

/** An account's authenticator app as stored (the secret still sealed). */
export interface StoredApp {
  accountId: string;
  sealedSecret: string;
  lastStep: number;
  createdAt: number;
  lastUsedAt: number | null;
}

/** The `authenticator_apps` table: one app per account. */
export function createAppsRepo(db: Knex) {
  return {
    async find(accountId: string): Promise<StoredApp | undefined> {
      const row = await db('authenticator_apps').where({ account_id: accountId }).first();
      if (!row) return undefined;
      return {
        accountId,
        sealedSecret: String(row.secret),
        lastStep: Number(row.last_step),
        createdAt: Number(row.created_at),
        lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
      };
    },
    /** Adds (or replaces) the account's app. */
    async save(app: { accountId: string; sealedSecret: string; step: number; at: number }): Promise<void> {
      await db('authenticator_apps')
        .insert({
          account_id: app.accountId,
          secret: app.sealedSecret,
          last_step: app.step,
          created_at: app.at,
          last_used_at: null,
        })
        .onConflict('account_id')
        .merge();
    },
    /**
     * Records a used step; false when that step (or a later one) was used already. One conditional update,
     * so two requests with the same code, even on two nodes, cannot both pass (checklist 9).
     */
    async useStep(accountId: string, step: number, at: number): Promise<boolean> {
      const n = await db('authenticator_apps')
        .where({ account_id: accountId })
        .where('last_step', '<', step)
        .update({ last_step: step, last_used_at: at });
      return n > 0;
    },
    async remove(accountId: string): Promise<boolean> {
      return (await db('authenticator_apps').where({ account_id: accountId }).delete()) > 0;
    },
  };
}

export type AppsRepo = ReturnType<typeof createAppsRepo>;
