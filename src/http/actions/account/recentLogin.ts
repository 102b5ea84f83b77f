import { ACR, acrRank } from '../../../oidc/acr.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { AccountSession } from './accountRp.js';

/** How recent a login must be to change sign-in methods (checklist 21). */
export const RECENT_LOGIN_SECONDS = 600;

/** The account page's login is too old (or too weak) for a change of sign-in methods: sign in again. */
export class ReauthRequired extends HawiyaError {
  constructor() {
    super('reauth_required', 403);
  }
}

/**
 * Whether the account page's sign-in is recent enough (10 minutes) and at least at the standard level
 * (password + SMS, or a passkey) to add or remove a factor.
 */
export function isRecentLogin(session: Pick<AccountSession, 'authTime' | 'acr'>, nowMs: number): boolean {
  const age = nowMs / 1000 - (session.authTime ?? 0);
  return age >= 0 && age <= RECENT_LOGIN_SECONDS && acrRank(session.acr) >= acrRank(ACR.standard);
}

export function requireRecentLogin(session: Pick<AccountSession, 'authTime' | 'acr'>, nowMs: number): void {
  if (!isRecentLogin(session, nowMs)) throw new ReauthRequired();
}
