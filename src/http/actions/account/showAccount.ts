import type { Context, Middleware } from 'koa';
import type { Passkeys } from '../../../accounts/passkeys/createPasskeys.js';
import { hasMessage, translate } from '../../../i18n/messages.js';
import type { ClientsRepo } from '../../../oidc/clientsRepo.js';
import type { GrantsRepo } from '../../../oidc/grantsRepo.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { checkRecentLogin, type RecentLoginDeps } from './recentLogin.js';

type AccountPageDeps = {
  grants: GrantsRepo;
  clients: ClientsRepo;
  passkeys: Pick<Passkeys, 'list'>;
  render: Renderer;
};

const NOTICES = ['passkeyAdded', 'passkeyRemoved', 'passkeyRenamed'] as const;

function day(locale: string, ms: number): string {
  return new Date(ms).toLocaleDateString(locale === 'ar' ? 'ar-SA-u-nu-latn-ca-gregory' : 'en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
}

async function renderAccount(
  deps: AccountPageDeps,
  ctx: Context,
  accountId: string,
  extra: { errors?: { field?: string; message: string }[]; notice?: string; status?: number } = {},
): Promise<void> {
  const locale = localeOf(ctx);
  const grants = await deps.grants.listFor(accountId);
  const items = [];
  for (const g of grants) {
    const client = await deps.clients.find(g.clientId);
    if (!client || g.clientId === 'hawiya-account') continue;
    const name = (locale === 'ar' ? client.name_ar : client.name_en) ?? client.client_name ?? g.clientId;
    const scopes = g.scopes
      .filter((s) => s !== 'openid')
      .map((s) => (hasMessage(`claim.${s}`) ? translate(locale, `claim.${s}` as 'claim.profile') : s));
    items.push({ id: g.id, name, scopes, until: new Date(g.expiresAt).toISOString().slice(0, 10) });
  }
  const passkeys = (await deps.passkeys.list(accountId)).map((p) => ({
    id: p.id,
    name: p.name,
    level: translate(locale, p.factor === 'passkey-bound' ? 'security.bound' : 'security.synced'),
    created: translate(locale, 'security.created', { date: day(locale, p.createdAt) }),
    used: p.lastUsedAt
      ? translate(locale, 'security.lastUsed', { date: day(locale, p.lastUsedAt) })
      : translate(locale, 'security.neverUsed'),
  }));
  deps.render(
    ctx,
    'account',
    {
      title: translate(locale, 'account.title'),
      grants: items,
      passkeys,
      recent: ctx.state.accountRecent === true,
      errors: extra.errors,
      notice: extra.notice,
    },
    extra.status ?? 200,
  );
}

/**
 * The account whose page a form of it was posted from (set by that action once it knows the session; whether
 * its sign-in is recent enough is set by checkRecentLogin).
 */
export function setFormAccount(ctx: Context, accountId: string): void {
  ctx.state.formAccountId = accountId;
}

/** The account page shown again after a refused form of it (the password change). */
export function accountPage(deps: AccountPageDeps): FormPage {
  return async function accountPage(ctx, shown, status = 200) {
    const accountId = ctx.state.formAccountId;
    if (typeof accountId !== 'string') throw new FlowExpired();
    await renderAccount(deps, ctx, accountId, { ...shown, status });
  };
}

/**
 * GET /account: the services this person has allowed (each can be withdrawn), and a password change. Once
 * the Hawiya session has ended, a sign-in again; right after a password change here, a notice first.
 */
export function showAccount(deps: AccountSessionDeps & AccountPageDeps & RecentLoginDeps): Middleware {
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
    await checkRecentLogin(deps, ctx, session);
    const done = NOTICES.find((n) => n === ctx.query.done);
    const notice =
      ctx.query.revoked === '1'
        ? translate(locale, 'account.revoked')
        : ctx.query.changed === '1'
          ? translate(locale, 'account.passwordChanged')
          : done
            ? translate(locale, `security.${done}`)
            : undefined;
    await renderAccount(deps, ctx, session.accountId, { notice });
  };
}
