import type { Knex } from 'knex';

export interface SessionDevice {
  sessionUid: string;
  ip: string | null;
  userAgent: string | null;
  lastSeenAt: number;
}

/** The `session_devices` table: where each Hawiya session was last used from, and when. */
export function createSessionDevicesRepo(db: Knex) {
  return {
    async seen(d: SessionDevice & { accountId: string }): Promise<void> {
      await db('session_devices')
        .insert({
          session_uid: d.sessionUid,
          account_id: d.accountId,
          ip: d.ip?.slice(0, 64) ?? null,
          user_agent: d.userAgent?.slice(0, 300) ?? null,
          last_seen_at: d.lastSeenAt,
        })
        .onConflict('session_uid')
        .merge();
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
