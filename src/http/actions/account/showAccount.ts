import type { Context, Middleware } from 'koa';
import { hasMessage, translate } from '../../../i18n/messages.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf } from '../../requestContext.js';
import { currentAccountSession } from './currentAccountSession.js';

export async function renderAccount(
  deps: IdpDeps,
  ctx: Context,
  accountId: string,
  extra: { errors?: { field?: string; message: string }[]; notice?: string; status?: number } = {},
): Promise<void> {
  const locale = localeOf(ctx);
  const grants = await deps.account.grants.listFor(accountId);
  const items = [];
  for (const g of grants) {
    const client = await deps.account.clients.find(g.clientId);
    if (!client || g.clientId === 'hawiya-account') continue;
    const name = (locale === 'ar' ? client.name_ar : client.name_en) ?? client.client_name ?? g.clientId;
    const scopes = g.scopes
      .filter((s) => s !== 'openid')
      .map((s) => (hasMessage(`claim.${s}`) ? translate(locale, `claim.${s}` as 'claim.profile') : s));
    items.push({ id: g.id, name, scopes, until: new Date(g.expiresAt).toISOString().slice(0, 10) });
  }
  deps.render(
    ctx,
    'account',
    { title: translate(locale, 'account.title'), grants: items, errors: extra.errors, notice: extra.notice },
    extra.status ?? 200,
  );
}

/**
 * GET /account: the services this person has allowed (each can be withdrawn), and a password change. Once
 * the Hawiya session has ended, a sign-in again; right after a password change here, a notice first.
 */
export function showAccount(deps: IdpDeps): Middleware {
  return async function showAccount(ctx) {
    const session = await currentAccountSession(deps, ctx);
    const locale = localeOf(ctx);
    if (!session) {
      if (ctx.query.changed !== '1') {
        ctx.redirect('/account/login');
        return;
      }
      deps.render(ctx, 'message', {
        title: translate(locale, 'account.password'),
        text: translate(locale, 'account.passwordChanged'),
        link: { href: '/account', text: translate(locale, 'login.title') },
      });
      return;
    }
    const notice =
      ctx.query.revoked === '1'
        ? translate(locale, 'account.revoked')
        : ctx.query.changed === '1'
          ? translate(locale, 'account.passwordChanged')
          : undefined;
    await renderAccount(deps, ctx, session.accountId, { notice });
  };
}
