import type { Knex } from 'knex';
import { createPreparedStatements } from '../db/preparedStatements.js';

export interface SessionDevice {
  sessionUid: string;
  ip: string | null;
  userAgent: string | null;
  lastSeenAt: number;
}

const SEEN = `insert into "session_devices" ("session_uid", "account_id", "ip", "user_agent", "last_seen_at")
  values (?, ?, ?, ?, ?) on conflict ("session_uid") do update set "account_id" = excluded."account_id",
  "ip" = excluded."ip", "user_agent" = excluded."user_agent", "last_seen_at" = excluded."last_seen_at"`;

/** The `session_devices` table: where each Hawiya session was last used from, and when. */
export function createSessionDevicesRepo(db: Knex) {
  const sql = createPreparedStatements(db);
  return {
    /**
     * Notes a use of the session. Within an answer whose writes are held (an authorization answer), it is
     * written with them, in their commit; a failure goes to `onFailure` (a device note never fails an answer).
     */
    async seen(d: SessionDevice & { accountId: string }, onFailure: (err: unknown) => void): Promise<void> {
      const values = [
        d.sessionUid,
        d.accountId,
        d.ip?.slice(0, 64) ?? null,
        d.userAgent?.slice(0, 300) ?? null,
      ];
      await sql.runHeld(SEEN, [...values, d.lastSeenAt], { onFailure });
    },
    async listFor(accountId: string): Promise<SessionDevice[]> {
      const rows = await db('session_devices').where({ account_id: accountId });
      return rows.map((r) => ({
        sessionUid: String(r.session_uid),
        ip: (r.ip as string | null) ?? null,
        userAgent: (r.user_agent as string | null) ?? null,
        lastSeenAt: Number(r.last_seen_at),
      }));
    },
    /** Rows whose session has ended (the purge). */
    async purgeEnded(): Promise<number> {
      return db('session_devices')
        .whereNotIn(
          'session_uid',
          db('oidc_payloads').where({ type: 'Session' }).whereNotNull('uid').select('uid'),
        )
        .delete();
    },
  };
}

export type SessionDevicesRepo = ReturnType<typeof createSessionDevicesRepo>;
