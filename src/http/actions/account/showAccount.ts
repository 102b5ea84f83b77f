import type { Context, Middleware } from 'koa';
import type { AuthenticatorApp } from '../../../accounts/authenticatorApp/createAuthenticatorApp.js';
import type { Passkeys } from '../../../accounts/passkeys/createPasskeys.js';
import { type Locale, pageText } from '../../../i18n/messages.js';
import type { ClientsRepo } from '../../../oidc/clientsRepo.js';
import type { DisclosuresRepo } from '../../../oidc/disclosuresRepo.js';
import type { GrantsRepo } from '../../../oidc/grantsRepo.js';
import type { SessionDevicesRepo } from '../../../oidc/sessionDevicesRepo.js';
import type { SessionsRepo } from '../../../oidc/sessionsRepo.js';
import type { AuditRepo } from '../../../shared/auditRepo.js';
import { FlowExpired } from '../../../shared/errors.js';
import { citizenDate } from '../../../shared/localText.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';
import type { AccountSession } from './accountRp.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { eventsView } from './eventsView.js';
import { checkRecentLogin, type RecentLoginDeps } from './recentLogin.js';
import { servicesView } from './servicesView.js';
import { sessionsView } from './sessionsView.js';

type AccountPageDeps = {
  grants: GrantsRepo;
  clients: ClientsRepo;
  passkeys: Pick<Passkeys, 'list'>;
  authenticatorApp: Pick<AuthenticatorApp, 'status'>;
  disclosures: Pick<DisclosuresRepo, 'listFor'>;
  auditLog: Pick<AuditRepo, 'forAccount'>;
  sessions: Pick<SessionsRepo, 'listLive'>;
  sessionDevices: Pick<SessionDevicesRepo, 'listFor'>;
  render: Renderer;
};

const NOTICES = [
  'passkeyAdded',
  'passkeyRemoved',
  'passkeyRenamed',
  'appAdded',
  'appRemoved',
  'sessionEnded',
] as const;

/** A date as the page's other dates: Gregorian with the Hijri date beside it. */
function day(locale: Locale, ms: number): string {
  const d = citizenDate(locale, new Date(ms));
  return `${d.gregorian} (${d.hijri})`;
}

/** Whose page it is: the account, and the person's name and masked ID from the sign-in. */
type PageOwner = { accountId: string; person?: AccountSession['person'] };

async function renderAccount(
  deps: AccountPageDeps,
  ctx: Context,
  owner: PageOwner,
  extra: { errors?: { field?: string; message: string }[]; notice?: string; status?: number } = {},
): Promise<void> {
  const locale = localeOf(ctx);
  const { accountId } = owner;
  const services = await servicesView(deps, accountId, locale);
  const held = await deps.passkeys.list(accountId);
  const factors = await deps.authenticatorApp.status(accountId);
  // A recovery code used since the newest factor was added: the page asks for a new one (checklist 23).
  const newestFactor = Math.max(0, factors.app?.createdAt ?? 0, ...held.map((p) => p.createdAt));
  const { lastUsedAt } = factors.recovery;
  const recoveryUsed =
    lastUsedAt !== null && lastUsedAt > newestFactor
      ? pageText(locale, 'recovery.usedWarning', { date: day(locale, lastUsedAt) })
      : undefined;
  const app = factors.app && {
    created: pageText(locale, 'security.created', { date: day(locale, factors.app.createdAt) }),
    used: factors.app.lastUsedAt
      ? pageText(locale, 'security.lastUsed', { date: day(locale, factors.app.lastUsedAt) })
      : pageText(locale, 'security.neverUsed'),
  };
  const passkeys = held.map((p) => ({
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
      person: owner.person && {
        name: owner.person.name[locale],
        maskedNationalId: owner.person.maskedNationalId,
      },
      services,
      events: await eventsView(deps, accountId, locale),
      sessions: await sessionsView(deps, { accountId, sid: String(ctx.state.accountSid ?? '') }, locale),
      passkeys,
      app,
      recovery: factors.recovery,
      recoveryUsed,
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
export function setFormAccount(ctx: Context, accountId: string, session?: AccountSession): void {
  ctx.state.formAccount = { accountId, person: session?.person } satisfies PageOwner;
  if (session) ctx.state.accountSid = session.sid;
}

/** The account page shown again after a refused form of it (the password change). */
export function accountPage(deps: AccountPageDeps): FormPage {
  return async function accountPage(ctx, shown, status = 200) {
    const owner = ctx.state.formAccount as PageOwner | undefined;
    if (!owner) throw new FlowExpired();
    await renderAccount(deps, ctx, owner, { ...shown, status });
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
        title: pageText(locale, 'account.password'),
        text: pageText(locale, 'account.passwordChanged'),
        link: { href: '/account', text: pageText(locale, 'login.title') },
      });
      return;
    }
    await checkRecentLogin(deps, ctx, session);
    ctx.state.accountSid = session.sid;
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
