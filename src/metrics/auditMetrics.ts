import type { AuditEntry } from '../shared/audit.js';
import type { Metrics } from './createMetrics.js';
import { labelOf } from './labels.js';

/**
 * Counts the audit trail's login, code and limit events: every one is already recorded once, where it
 * happens (checklist 43), so the counters follow the audit without a second set of calls in the domain.
 * Only the event, its factor and a few fixed details become labels; never who or from where.
 */
export function countAuditEvent(metrics: Metrics, entry: AuditEntry): void {
  const details = entry.details ?? {};
  switch (entry.event) {
    case 'login_succeeded':
      metrics.logins.inc({ method: labelOf(entry.factor), acr: labelOf(details.acr), result: 'success' });
      return;
    case 'login_password_failed':
      metrics.logins.inc({ method: 'pwd', acr: 'none', result: 'wrong_password' });
      return;
    case 'login_code_failed':
      metrics.logins.inc({ method: labelOf(entry.factor), acr: 'none', result: 'wrong_code' });
      return;
    // the audit does not tell a refused login from a refused enrolment: both count here (README says so)
    case 'passkey_refused':
    case 'passkey_counter_regressed':
      metrics.logins.inc({ method: 'passkey', acr: 'none', result: `refused:${labelOf(details.reason)}` });
      return;
    case 'login_throttled':
      metrics.logins.inc({ method: 'any', acr: 'none', result: 'throttled' });
      metrics.throttled.inc({ action: 'login', by: labelOf(details.by), reason: labelOf(details.reason) });
      return;
    case 'attempt_throttled':
      metrics.throttled.inc({
        action: labelOf(details.action),
        by: labelOf(details.by),
        reason: labelOf(details.reason),
      });
      return;
    case 'account_locked':
    case 'account_disabled':
    case 'codes_blocked':
      metrics.throttled.inc({ action: 'account', by: 'account', reason: entry.event });
      return;
    case 'code_sent':
    case 'code_delivery_failed':
      metrics.codes.inc({
        channel: labelOf(entry.factor),
        purpose: labelOf(details.purpose),
        result: entry.event === 'code_sent' ? 'sent' : 'failed',
      });
      return;
    default:
      return;
  }
}
