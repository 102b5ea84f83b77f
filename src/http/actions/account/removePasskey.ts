import type { Middleware } from 'koa';
import type { SecurityFactors } from '../../../accounts/passkeys/securityFactors.js';
import { FlowExpired } from '../../../shared/errors.js';
import { localeOf, metaOf, seeOther } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { requireRecentLogin } from './recentLogin.js';
import { setFormAccount } from './showAccount.js';

/** POST /account/passkeys/:id/remove: after a recent login; the passkey never signs in again. */
export function removePasskey(deps: AccountSessionDeps & { securityFactors: SecurityFactors }): Middleware {
  return async function removePasskey(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    setFormAccount(ctx, session.accountId);
    await requireRecentLogin(deps, ctx, session);
    await deps.securityFactors.removePasskey({
      accountId: session.accountId,
      id: String(ctx.params.id ?? ''),
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    seeOther(ctx, '/account?done=passkeyRemoved');
  };
}
