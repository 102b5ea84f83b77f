import type { Middleware } from 'koa';
import type { Accounts } from '../../../accounts/createAccounts.js';
import { FlowExpired } from '../../../shared/errors.js';
import { localeOf, metaOf, seeOther } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { requireRecentLogin } from './recentLogin.js';
import { setFormAccount } from './showAccount.js';

/** POST /account/app/remove: after a recent login; the app's codes never sign in again. */
export function removeApp(
  deps: AccountSessionDeps & { accounts: Pick<Accounts, 'authenticatorApp' | 'securityFactors'> },
): Middleware {
  return async function removeApp(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    setFormAccount(ctx, session.accountId, session);
    await requireRecentLogin({ securityFactors: deps.accounts.securityFactors }, ctx, session);
    await deps.accounts.authenticatorApp.removeApp({
      accountId: session.accountId,
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    seeOther(ctx, '/account?done=appRemoved');
  };
}
