import { type Locale, type MessageKey, pageText } from '../../../i18n/messages.js';
import type { AuditEvent } from '../../../shared/audit.js';
import type { AuditRepo } from '../../../shared/auditRepo.js';
import { deviceOf } from './deviceOf.js';
import { momentText } from './momentText.js';

/** The audit events a person sees on their security page: sign-ins, failures, locks and factor changes. */
export const SECURITY_EVENTS: readonly AuditEvent[] = [
  'login_succeeded',
  'login_password_failed',
  'login_code_failed',
  'account_locked',
  'account_disabled',
  'password_changed',
  'sessions_revoked',
  'passkey_added',
  'passkey_removed',
  'passkey_counter_regressed',
  'totp_added',
  'totp_removed',
  'recovery_codes_generated',
  'recovery_code_used',
  'consent_revoked',
];

/** The recent security events of an account, newest first, in the person's language. */
export async function eventsView(
  deps: { auditLog: Pick<AuditRepo, 'forAccount'> },
  accountId: string,
  locale: Locale,
) {
  const records = await deps.auditLog.forAccount(accountId, SECURITY_EVENTS, 15);
  return records.map((r) => ({
    when: momentText(locale, r.at),
    what: pageText(locale, `event.${r.event}` as MessageKey),
    where: [deviceOf(r.userAgent), r.ip].filter(Boolean).join(' · '),
  }));
}
