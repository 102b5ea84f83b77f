import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';

/** One relying party's part in an IdP session: the client and the `sid` its ID tokens and logout tokens carry. */
export interface SessionParticipant {
  clientId: string;
  sid: string;
}

interface StoredSession {
  accountId?: string;
  authorizations?: Record<string, { sid?: string }>;
}

/**
 * Reads oidc-provider's Session rows in `oidc_payloads` (owned by oidc/knexAdapter): which relying parties
 * take part in an account's live sessions. Expired rows count as gone, as the adapter treats them.
 */
export function createSessionsRepo(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;

  async function liveSessions(accountId: string, trx?: Knex): Promise<StoredSession[]> {
    const rows: { payload: string }[] = await (trx ?? db)('oidc_payloads')
      .where({ type: 'Session', account_id: accountId })
      .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', clock.now()))
      .select('payload');
    return rows.flatMap((r) => {
      try {
        return [JSON.parse(r.payload) as StoredSession];
      } catch {
        return [];
      }
    });
  }

  return {
    /** Every (client, sid) pair of the account's live sessions, each once. */
    async participantsOf(accountId: string, trx?: Knex): Promise<SessionParticipant[]> {
      const seen = new Map<string, SessionParticipant>();
      for (const session of await liveSessions(accountId, trx)) {
        for (const [clientId, auth] of Object.entries(session.authorizations ?? {})) {
          if (typeof auth?.sid === 'string' && auth.sid !== '')
            seen.set(`${clientId} ${auth.sid}`, { clientId, sid: auth.sid });
        }
      }
      return [...seen.values()];
    },

    /** Whether the account still has a live IdP session in which `clientId` holds `sid`. */
    async isLive(opts: { accountId: string; clientId: string; sid: string }): Promise<boolean> {
      if (opts.accountId === '' || opts.sid === '') return false;
      return (await liveSessions(opts.accountId)).some(
        (s) => s.accountId === opts.accountId && s.authorizations?.[opts.clientId]?.sid === opts.sid,
      );
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
