import type { Knex } from 'knex';
import type { AuditRecord } from './audit.js';

function toRecord(row: Record<string, unknown>): AuditRecord {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(String(row.details)) as Record<string, unknown>;
  } catch {
    // an unreadable details column still leaves the rest of the record
  }
  return {
    id: Number(row.id),
    at: Number(row.at),
    event: row.event as AuditRecord['event'],
    accountId: (row.account_id as string | null) ?? null,
    nationalIdMasked: (row.national_id_masked as string | null) ?? null,
    ip: (row.ip as string | null) ?? null,
    userAgent: (row.user_agent as string | null) ?? null,
    requestId: (row.request_id as string | null) ?? null,
    clientId: (row.client_id as string | null) ?? null,
    factor: (row.factor as string | null) ?? null,
    actor: (row.actor as string | null) ?? null,
    details,
  };
}

/** Reads `audit_events` (shared/audit.ts writes it). */
export function createAuditRepo(db: Knex) {
  return {
    /** The newest `n` records, oldest first. */
    async tail(n: number): Promise<AuditRecord[]> {
      const rows = await db('audit_events').orderBy('id', 'desc').limit(n);
      return rows.map(toRecord).reverse();
    },
    /** The newest `n` records of one account among these events, newest first (the security page). */
    async forAccount(accountId: string, events: readonly string[], n: number): Promise<AuditRecord[]> {
      const rows = await db('audit_events')
        .where({ account_id: accountId })
        .whereIn('event', [...events])
        .orderBy('id', 'desc')
        .limit(n);
      return rows.map(toRecord);
    },
    /** Records with since <= at < until, oldest first. */
    async between(since: number, until: number): Promise<AuditRecord[]> {
      const rows = await db('audit_events')
        .where('at', '>=', since)
        .andWhere('at', '<', until)
        .orderBy('id', 'asc');
      return rows.map(toRecord);
    },
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
