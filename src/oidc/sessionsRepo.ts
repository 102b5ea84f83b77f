import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';

/** One relying party's part in an IdP session: the client and the `sid` its ID tokens and logout tokens carry. */
export interface SessionParticipant {
  clientId: string;
  sid: string;
}

interface StoredSession {
  uid?: string;
  iat?: number;
  accountId?: string;
  loginTs?: number;
  acr?: string;
  authorizations?: Record<string, { sid?: string }>;
}

/** A live Hawiya session of an account, as the security page lists it. */
export interface LiveSession {
  uid: string;
  /** when its login was made, ms */
  signedInAt: number;
  acr: string | null;
  /** the relying parties taking part, with their sid */
  participants: SessionParticipant[];
}

function participantsOfSession(session: StoredSession): SessionParticipant[] {
  return Object.entries(session.authorizations ?? {}).flatMap(([clientId, auth]) =>
    typeof auth?.sid === 'string' && auth.sid !== '' ? [{ clientId, sid: auth.sid }] : [],
  );
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
    /** Every (client, sid) pair of the account's live sessions (or of one of them), each once. */
    async participantsOf(accountId: string, trx?: Knex, sessionUid?: string): Promise<SessionParticipant[]> {
      const seen = new Map<string, SessionParticipant>();
      for (const session of await liveSessions(accountId, trx)) {
        if (sessionUid !== undefined && session.uid !== sessionUid) continue;
        for (const p of participantsOfSession(session)) seen.set(`${p.clientId} ${p.sid}`, p);
      }
      return [...seen.values()];
    },

    /**
     * Who took part in the sessions created at or after `sinceMs` (an emergency rotation revokes them), per
     * account: read before they are deleted, to send the logout tokens once the deletion is committed.
     */
    async participantsSince(
      sinceMs: number,
      trx?: Knex,
    ): Promise<{ accountId: string; participants: SessionParticipant[] }[]> {
      const rows: { payload: string }[] = await (trx ?? db)('oidc_payloads')
        .where({ type: 'Session' })
        .select('payload');
      const byAccount = new Map<string, Map<string, SessionParticipant>>();
      for (const r of rows) {
        let session: StoredSession;
        try {
          session = JSON.parse(r.payload) as StoredSession;
        } catch {
          continue;
        }
        if (typeof session.iat !== 'number' || session.iat < Math.floor(sinceMs / 1000) || !session.accountId)
          continue;
        const seen = byAccount.get(session.accountId) ?? new Map<string, SessionParticipant>();
        for (const p of participantsOfSession(session)) seen.set(`${p.clientId} ${p.sid}`, p);
        byAccount.set(session.accountId, seen);
      }
      return [...byAccount].map(([accountId, seen]) => ({ accountId, participants: [...seen.values()] }));
    },

    /** The account's live sessions, newest login first. */
    async listLive(accountId: string): Promise<LiveSession[]> {
      return (await liveSessions(accountId))
        .filter((s): s is StoredSession & { uid: string } => typeof s.uid === 'string')
        .map((s) => ({
          uid: s.uid,
          signedInAt: (s.loginTs ?? 0) * 1000,
          acr: s.acr ?? null,
          participants: participantsOfSession(s),
        }))
        .sort((a, b) => b.signedInAt - a.signedInAt);
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
