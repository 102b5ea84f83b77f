import type { Context } from 'koa';
import type { FlowsRepo } from '../../../flows/flowsRepo.js';
import { ACCOUNT_CLIENT_ID } from '../../../oidc/accountClient.js';
import type { SessionsRepo } from '../../../oidc/sessionsRepo.js';
import type { FlowCookie } from '../../requestContext.js';
import type { AccountSession } from './accountRp.js';

/**
 * The signed-in account pages' session, only while the Hawiya session it was signed in by still lives: a
 * sign-out at Hawiya, a password reset or change, `users lock` or the session's timeout ends it at once.
 * An ended one is removed and its cookie cleared; undefined means "ask to sign in again".
 */
/** What finding the account pages' session takes. */
export interface AccountSessionDeps {
  flows: FlowsRepo;
  cookie: FlowCookie;
  sessions: SessionsRepo;
}

export async function currentAccountSession(
  deps: AccountSessionDeps,
  ctx: Context,
): Promise<(AccountSession & { sid: string }) | undefined> {
  const handle = deps.cookie.get(ctx);
  const session = await deps.flows.find<AccountSession>('account', handle);
  // a sign-in in progress (perhaps in another tab) is left to finish
  if (!handle || !session || session.pending) return undefined;
  const { accountId, sid } = session;
  if (accountId && sid && (await deps.sessions.isLive({ accountId, clientId: ACCOUNT_CLIENT_ID, sid })))
    return { ...session, sid };
  await deps.flows.remove(handle);
  deps.cookie.clear(ctx);
  return undefined;
}
