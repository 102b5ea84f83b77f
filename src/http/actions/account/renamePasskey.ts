import type { Middleware } from 'koa';
import type { SecurityFactors } from '../../../accounts/passkeys/securityFactors.js';
import { FlowExpired } from '../../../shared/errors.js';
import { field, metaOf, seeOther } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { checkRecentLogin } from './recentLogin.js';
import { setFormAccount } from './showAccount.js';

/** POST /account/passkeys/:id/rename (a name only: no recent login needed). */
export function renamePasskey(deps: AccountSessionDeps & { securityFactors: SecurityFactors }): Middleware {
  return async function renamePasskey(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    setFormAccount(ctx, session.accountId);
    await checkRecentLogin(deps, ctx, session);
    await deps.securityFactors.renamePasskey({
      accountId: session.accountId,
      id: String(ctx.params.id ?? ''),
      name: field(ctx, 'name', 200),
      meta: metaOf(ctx),
    });
    seeOther(ctx, '/account?done=passkeyRenamed');
  };
}
