import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';

export interface RememberedGrant {
  id: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

/** A person's remembered consents (oidc-provider Grants), for the account page: list and withdraw. */
export function createGrantsRepo(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async listFor(accountId: string): Promise<RememberedGrant[]> {
      const rows = await db('oidc_payloads')
        .where({ type: 'Grant', account_id: accountId })
        .andWhere('expires_at', '>', clock.now())
        .select('id', 'payload', 'expires_at');
      return rows.map((r) => {
        const p = JSON.parse(r.payload) as {
          clientId: string;
          openid?: { scope?: string };
          resources?: Record<string, string>;
        };
        const scopes = [
          ...(p.openid?.scope ?? '').split(' '),
          ...Object.values(p.resources ?? {}).flatMap((s) => s.split(' ')),
        ].filter(Boolean);
        return {
          id: String(r.id),
          clientId: p.clientId,
          scopes: [...new Set(scopes)],
          expiresAt: Number(r.expires_at),
        };
      });
    },
    /** Deletes the grant and every token issued under it; false if it is not this person's. */
    async revoke(accountId: string, grantId: string): Promise<boolean> {
      return db.transaction(async (trx) => {
        const n = await trx('oidc_payloads')
          .where({ type: 'Grant', id: grantId, account_id: accountId })
          .delete();
        if (Number(n) !== 1) return false;
        await trx('oidc_payloads').where({ grant_id: grantId }).delete();
        return true;
      });
    },
  };
}

export type GrantsRepo = ReturnType<typeof createGrantsRepo>;
