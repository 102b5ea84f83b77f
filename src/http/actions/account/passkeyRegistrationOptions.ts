import type { Middleware } from 'koa';
import type { Accounts } from '../../../accounts/createAccounts.js';
import { FlowExpired } from '../../../shared/errors.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { passkeyBinding } from './passkeyBinding.js';
import { requireRecentLogin } from './recentLogin.js';

/** POST /account/passkeys/options: a single-use enrolment challenge (JSON), after a recent login only. */
export function passkeyRegistrationOptions(
  deps: AccountSessionDeps & { accounts: Pick<Accounts, 'passkeys' | 'findById' | 'securityFactors'> },
): Middleware {
  return async function passkeyRegistrationOptions(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    await requireRecentLogin(deps.accounts, ctx, session);
    const account = await deps.accounts.findById(session.accountId);
    if (!account) throw new FlowExpired();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.accounts.passkeys.registrationOptions({
      binding: passkeyBinding(session),
      accountId: account.id,
      userName: account.username,
      displayName: account.username,
    });
  };
}
