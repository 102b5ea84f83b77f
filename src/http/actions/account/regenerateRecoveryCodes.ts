import type { Context, Middleware } from 'koa';
import type { Accounts } from '../../../accounts/createAccounts.js';
import { type MessageKey, translate } from '../../../i18n/messages.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { Renderer } from '../../render.js';
import { localeOf, metaOf } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { requireRecentLogin } from './recentLogin.js';
import { setFormAccount } from './showAccount.js';

/** The one time a set of recovery codes is shown (never stored in the clear, never shown again). */
export function showRecoveryCodes(
  render: Renderer,
  ctx: Context,
  codes: string[],
  notice?: MessageKey,
): void {
  const locale = localeOf(ctx);
  render(ctx, 'recovery-codes', {
    title: translate(locale, 'recovery.shownTitle'),
    codes,
    notice: notice ? translate(locale, notice) : undefined,
  });
}

/** POST /account/recovery-codes: ten new codes in place of the old ones, after a recent login. */
export function regenerateRecoveryCodes(
  deps: AccountSessionDeps & {
    accounts: Pick<Accounts, 'authenticatorApp' | 'securityFactors'>;
    render: Renderer;
  },
): Middleware {
  return async function regenerateRecoveryCodes(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    setFormAccount(ctx, session.accountId, session);
    await requireRecentLogin({ securityFactors: deps.accounts.securityFactors }, ctx, session);
    const codes = await deps.accounts.authenticatorApp.regenerateRecoveryCodes({
      accountId: session.accountId,
      locale: localeOf(ctx),
      meta: metaOf(ctx),
    });
    showRecoveryCodes(deps.render, ctx, codes);
  };
}
