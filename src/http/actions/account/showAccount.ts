import type { Context, Middleware } from 'koa';
import type { Passkeys } from '../../../accounts/passkeys/createPasskeys.js';
import { hasMessage, type Locale, pageText } from '../../../i18n/messages.js';
import type { ClientsRepo } from '../../../oidc/clientsRepo.js';
import type { GrantsRepo } from '../../../oidc/grantsRepo.js';
import { FlowExpired } from '../../../shared/errors.js';
import { citizenDate } from '../../../shared/localText.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';
import type { AccountSession } from './accountRp.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { isRecentLogin } from './recentLogin.js';

type AccountPageDeps = {
  grants: GrantsRepo;
  clients: ClientsRepo;
  passkeys: Pick<Passkeys, 'list'>;
  render: Renderer;
};

const NOTICES = ['passkeyAdded', 'passkeyRemoved', 'passkeyRenamed'] as const;

/** A passkey's date as the page's other dates: Gregorian with the Hijri date beside it. */
function day(locale: Locale, ms: number): string {
  const d = citizenDate(locale, new Date(ms));
  return `${d.gregorian} (${d.hijri})`;
}

async function renderAccount(
  deps: AccountPageDeps,
  ctx: Context,
  session: { accountId: string; person?: AccountSession['person'] },
  extra: { errors?: { field?: string; message: string }[]; notice?: string; status?: number } = {},
): Promise<void> {
  const locale = localeOf(ctx);
  const grants = await deps.grants.listFor(session.accountId);
  const items = [];
  for (const g of grants) {
    const client = await deps.clients.find(g.clientId);
    if (!client || g.clientId === 'hawiya-account') continue;
    const name = (locale === 'ar' ? client.name_ar : client.name_en) ?? client.client_name ?? g.clientId;
    const scopes = g.scopes
      .filter((s) => s !== 'openid')
      .map((s) => (hasMessage(`claim.${s}`) ? pageText(locale, `claim.${s}` as 'claim.profile') : s));
    items.push({ id: g.id, name, scopes, until: new Date(g.expiresAt).toISOString().slice(0, 10) });
  }
  const passkeys = (await deps.passkeys.list(session.accountId)).map((p) => ({
    id: p.id,
    name: p.name,
    level: pageText(locale, p.factor === 'passkey-bound' ? 'security.bound' : 'security.synced'),
    created: pageText(locale, 'security.created', { date: day(locale, p.createdAt) }),
    used: p.lastUsedAt
      ? pageText(locale, 'security.lastUsed', { date: day(locale, p.lastUsedAt) })
      : pageText(locale, 'security.neverUsed'),
  }));
  deps.render(
    ctx,
    'account',
    {
      title: pageText(locale, 'account.title'),
      person: session.person && {
        name: session.person.name[locale],
        maskedNationalId: session.person.maskedNationalId,
      },
      grants: items,
      passkeys,
      recent: ctx.state.accountRecent === true,
      errors: extra.errors,
      notice: extra.notice,
    },
    extra.status ?? 200,
  );
}

/** The account whose page a form of it was posted from (set by that action once it knows the session). */
export function setFormAccount(ctx: Context, accountId: string, session?: AccountSession): void {
  ctx.state.formAccount = { accountId, person: session?.person };
  if (session) ctx.state.accountRecent = isRecentLogin(session, Date.now());
}

/** The account page shown again after a refused form of it (the password change). */
export function accountPage(deps: AccountPageDeps): FormPage {
  return async function accountPage(ctx, shown, status = 200) {
    const session = ctx.state.formAccount as
      | { accountId: string; person?: AccountSession['person'] }
      | undefined;
    if (!session) throw new FlowExpired();
    await renderAccount(deps, ctx, session, { ...shown, status });
  };
}

/**
 * GET /account: the services this person has allowed (each can be withdrawn), and a password change. Once
 * the Hawiya session has ended, a sign-in again; right after a password change here, a notice first.
 */
export function showAccount(deps: AccountSessionDeps & AccountPageDeps): Middleware {
  return async function showAccount(ctx) {
    const session = await currentAccountSession(deps, ctx);
    const locale = localeOf(ctx);
    if (!session) {
      if (ctx.query.changed !== '1') {
        ctx.redirect('/account/login');
        return;
      }
      deps.render(ctx, 'message', {
        title: pageText(locale, 'account.password'),
        text: pageText(locale, 'account.passwordChanged'),
        link: { href: '/account', text: pageText(locale, 'login.title') },
      });
      return;
    }
    ctx.state.accountRecent = isRecentLogin(session, Date.now());
    const done = NOTICES.find((n) => n === ctx.query.done);
    const notice =
      ctx.query.revoked === '1'
        ? pageText(locale, 'account.revoked')
        : ctx.query.changed === '1'
          ? pageText(locale, 'account.passwordChanged')
          : done
            ? pageText(locale, `security.${done}`)
            : undefined;
    await renderAccount(deps, ctx, session, { notice });
  };
}
