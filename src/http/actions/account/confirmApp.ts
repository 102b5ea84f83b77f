import type { Middleware } from 'koa';
import type { Accounts } from '../../../accounts/createAccounts.js';
import { normalizeDigits } from '../../../registry/index.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { Renderer } from '../../render.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { appBinding } from './appBinding.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { requireRecentLogin } from './recentLogin.js';
import { showRecoveryCodes } from './regenerateRecoveryCodes.js';
import { setSetupSession } from './showAppSetup.js';

/**
 * POST /account/app: the first code from the app confirms it. An account with no recovery codes left gets
 * ten now, shown once on the answer itself.
 */
export function confirmApp(
  deps: AccountSessionDeps & {
    accounts: Pick<Accounts, 'authenticatorApp' | 'securityFactors'>;
    render: Renderer;
  },
): Middleware {
  return async function confirmApp(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    setSetupSession(ctx, session);
    await requireRecentLogin({ securityFactors: deps.accounts.securityFactors }, ctx, session);
    const codes = await deps.accounts.authenticatorApp.confirmEnrolment({
      binding: appBinding(session),
      accountId: session.accountId,
      code: normalizeDigits(field(ctx, 'code', 20)).replace(/\s/g, ''),
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    if (codes) showRecoveryCodes(deps.render, ctx, codes, 'security.appAdded');
    else seeOther(ctx, '/account?done=appAdded');
  };
}
