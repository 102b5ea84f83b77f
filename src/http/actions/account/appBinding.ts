import type { AccountSession } from './accountRp.js';

/** An authenticator-app enrolment belongs to the account page's session (its Hawiya session id). */
export function appBinding(session: AccountSession & { sid: string }): string {
  return `totp-enrol:${session.accountId}:${session.sid}`;
}
