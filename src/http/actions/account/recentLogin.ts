import type { Context } from 'koa';
import type { SecurityFactors } from '../../../accounts/passkeys/securityFactors.js';
import { type AcrValue, acrRank } from '../../../oidc/acr.js';
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
 * Whether the account page's sign-in is recent enough (10 minutes) and at the level `required` (the highest
 * the account's factors reach) to add or remove a factor (checklist 21).
 */
export function isRecentLogin(
  session: Pick<AccountSession, 'authTime' | 'acr'>,
  nowMs: number,
  required: AcrValue,
): boolean {
  const age = nowMs / 1000 - (session.authTime ?? 0);
  return age >= 0 && age <= RECENT_LOGIN_SECONDS && acrRank(session.acr) >= acrRank(required);
}

/** What deciding whether a sign-in may change factors takes. */
export interface RecentLoginDeps {
  securityFactors: Pick<SecurityFactors, 'levelForChanges'>;
}

/** Whether this sign-in may change the account's factors now; the account page shows forms or a sign-in. */
export async function checkRecentLogin(
  deps: RecentLoginDeps,
  ctx: Context,
  session: Pick<AccountSession, 'accountId' | 'authTime' | 'acr'>,
): Promise<boolean> {
  const required = await deps.securityFactors.levelForChanges(session.accountId);
  const recent = isRecentLogin(session, Date.now(), required);
  ctx.state.accountRecent = recent;
  return recent;
}

export async function requireRecentLogin(
  deps: RecentLoginDeps,
  ctx: Context,
  session: Pick<AccountSession, 'accountId' | 'authTime' | 'acr'>,
): Promise<void> {
  if (!(await checkRecentLogin(deps, ctx, session))) throw new ReauthRequired();
}
