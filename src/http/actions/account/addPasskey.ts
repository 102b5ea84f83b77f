import type { Middleware } from 'koa';
import type { SecurityFactors } from '../../../accounts/passkeys/securityFactors.js';
import { FlowExpired } from '../../../shared/errors.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { passkeyBinding } from './passkeyBinding.js';
import { requireRecentLogin } from './recentLogin.js';
import { setFormAccount } from './showAccount.js';

/** POST /account/passkeys: the new passkey's name and the browser's answer to the enrolment challenge. */
export function addPasskey(deps: AccountSessionDeps & { securityFactors: SecurityFactors }): Middleware {
  return async function addPasskey(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    setFormAccount(ctx, session.accountId);
    await requireRecentLogin(deps, ctx, session);
    await deps.securityFactors.addPasskey({
      accountId: session.accountId,
      binding: passkeyBinding(session),
      response: field(ctx, 'response', 16_000),
      name: field(ctx, 'name', 200),
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    seeOther(ctx, '/account?done=passkeyAdded');
  };
}
