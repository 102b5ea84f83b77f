import type { Middleware } from 'koa';
import type { ChangePassword } from '../../../accounts/password/index.js';
import { FlowExpired } from '../../../shared/errors.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { setFormAccount } from './showAccount.js';

/** POST /account/password: the current password and a new one. */
export function changePassword(deps: AccountSessionDeps & { changePassword: ChangePassword }): Middleware {
  return async function changePassword(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    setFormAccount(ctx, session.accountId, session);
    await deps.changePassword({
      accountId: session.accountId,
      current: field(ctx, 'current'),
      password: field(ctx, 'password'),
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    seeOther(ctx, '/account?changed=1');
  };
}
