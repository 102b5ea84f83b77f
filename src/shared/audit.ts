import type { Knex } from 'knex';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { maskNationalId } from './logger.js';

// Every audited event is named here, once.
export const AUDIT_EVENTS = [
  'registration_started',
  'registration_rejected',
  'account_activated',
  'login_password_ok',
  'login_password_failed',
  'login_code_failed',
  'login_succeeded',
  /** a login refused by a limit (per IP, a delay or lock of the account or identifier, one at a time) */
  'login_throttled',
  /** a registration, reset or code entry refused by a limit (per IP or per national ID) */
  'attempt_throttled',
  /** the 100th wrong activation/reset code in a row for a national ID: its codes are long from now on */
  'codes_blocked',
  'account_locked',
  'account_disabled',
  'account_unlocked',
  'code_sent',
  'code_delivery_failed',
  'password_reset_started',
  'password_changed',
  'sessions_revoked',
  'consent_granted',
  'consent_revoked',
  /** signed out at the IdP (oidc-provider's end_session) */
  'logout',
  'backchannel_logout_failed',
  'key_generated',
  'key_rotated',
  'key_retired',
  'key_pruned',
  'client_added',
  'client_updated',
  'client_removed',
  'client_secret_rotated',
  'registry_imported',
  /** a government client asked Hawiya's registry check (the answer, never the name, is recorded) */
  'registry_checked',
  /** a citizen reported a document lost at the loss-report service, or withdrew the report */
  'loss_reported',
  'loss_report_withdrawn',
  /** the replacement service closed a report once the new document was collected */
  'loss_report_replaced',
  /** replacement requests: submitted, booked, rescheduled, cancelled; the staff's steps (actor cli:<user>) */
  'replacement_requested',
  'appointment_booked',
  'appointment_cancelled',
  'replacement_attended',
  'replacement_ready',
  'replacement_collected',
  'replacement_cancelled',
  /** the staff's office and holiday changes */
  'office_added',
  'office_updated',
  'holiday_added',
  'mfa_reset',
  /** a passkey enrolled, renamed or removed on the security page */
  'passkey_added',
  'passkey_renamed',
  'passkey_removed',
  /** a passkey assertion or enrolment refused (reason in details: origin, challenge, unknown, uv...) */
  'passkey_refused',
  /** a signature counter that did not increase: a possible cloned authenticator (checklist 41) */
  'passkey_counter_regressed',
  /** an authenticator app (TOTP) enrolled (confirmed by its first code) or removed */
  'totp_added',
  'totp_removed',
  /** a new set of recovery codes (the old ones stop working) */
  'recovery_codes_generated',
  /** a recovery code used in place of the second factor (details: how many are left) */
  'recovery_code_used',
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditEntry {
  event: AuditEvent;
  accountId?: string | null;
  nationalId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  clientId?: string | null;
  factor?: string | null;
  actor?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Omit<AuditEntry, 'nationalId' | 'details'> {
  id: number;
  at: number;
  nationalIdMasked: string | null;
  details: Record<string, unknown>;
}

export interface Audit {
  record(entry: AuditEntry, trx?: Knex): Promise<void>;
}

/** Writes held until an answer is ready and committed with it (db/answerWrites.ts supplies them). */
export interface AnswerWrites {
  /** whether a write asked for now is held with its answer */
  held(): boolean;
  /** `onStored` once the write is committed with its answer, never if it is not */
  runHeld(
    sql: string,
    values: readonly (string | number | null)[],
    on: { onStored: () => void },
  ): Promise<void>;
}

const COLUMNS = [
  'at',
  'event',
  'account_id',
  'national_id_masked',
  'ip',
  'user_agent',
  'request_id',
  'client_id',
  'factor',
  'actor',
  'details',
] as const;
const INSERT = `insert into "audit_events" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`;

/**
 * Writes the audit table and a log line; national IDs only ever appear masked. A record asked for while
 * an answer's writes are held (a consent) is written in that answer's commit, before the answer leaves.
 */
export function createAudit(deps: {
  db: Knex;
  logger: Logger;
  clock: Clock;
  answerWrites?: AnswerWrites;
  /** each record once stored (the metrics' count); never fails the record */
  observe?: (entry: AuditEntry) => void;
}): Audit {
  return {
    async record(entry, trx) {
      const masked = entry.nationalId ? maskNationalId(entry.nationalId) : null;
      const row: Record<(typeof COLUMNS)[number], string | number | null> = {
        at: deps.clock.now(),
        event: entry.event,
        account_id: entry.accountId ?? null,
        national_id_masked: masked,
        ip: entry.ip ?? null,
        user_agent: entry.userAgent ? entry.userAgent.slice(0, 300) : null,
        request_id: entry.requestId ?? null,
        client_id: entry.clientId ?? null,
        factor: entry.factor ?? null,
        actor: entry.actor ?? null,
        details: JSON.stringify(entry.details ?? {}),
      };
      // The log line and the count only once the record is stored: never for an event the table does not have.
      const logLine = () => {
        try {
          deps.observe?.(entry);
        } catch {
          // counting never fails what is counted
        }
        deps.logger.info(
          {
            audit: entry.event,
            accountId: entry.accountId,
            subject: masked,
            ip: entry.ip,
            reqId: entry.requestId,
            clientId: entry.clientId,
            factor: entry.factor,
            actor: entry.actor,
            details: entry.details,
          },
          `audit ${entry.event}`,
        );
      };
      if (!trx && deps.answerWrites?.held()) {
        await deps.answerWrites.runHeld(
          INSERT,
          COLUMNS.map((c) => row[c]),
          { onStored: logLine },
        );
        return;
      }
      await (trx ?? deps.db)('audit_events').insert(row);
      // Inside a caller's transaction, once that transaction commits: never for a record it rolls back.
      const outcome = trx && transactionOutcome(trx);
      if (outcome) outcome.then(logLine, () => undefined);
      else logLine();
    },
  };
}

/**
 * A knex transaction's outcome, undefined for a plain knex: fulfilled when it commits, rejected when an
 * error rolls it back. (An explicit `trx.rollback()` without an error also fulfils it, knex's
 * doNotRejectOnRollback default: nothing here calls it.)
 */
function transactionOutcome(trx: Knex): Promise<unknown> | undefined {
  const outcome = (trx as { executionPromise?: Promise<unknown> }).executionPromise;
  return trx.isTransaction && outcome ? outcome : undefined;
}
