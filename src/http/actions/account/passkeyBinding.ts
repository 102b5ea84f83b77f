import type { AccountSession } from './accountRp.js';

/** The enrolment challenge belongs to the account page's session (its Hawiya session id), not to a tab. */
export function passkeyBinding(session: AccountSession & { sid: string }): string {
  return `enrol:${session.accountId}:${session.sid}`;
}
