import type { Context, Middleware } from 'koa';
import type { Accounts } from '../../../accounts/createAccounts.js';
import { translate } from '../../../i18n/messages.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';
import type { AccountSession } from './accountRp.js';
import { appBinding } from './appBinding.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import { checkRecentLogin } from './recentLogin.js';

type AppSetupDeps = {
  accounts: Pick<Accounts, 'authenticatorApp' | 'findById' | 'securityFactors'>;
  render: Renderer;
};

/** The session a setup form was posted from (set by the action once it knows it). */
export function setSetupSession(ctx: Context, session: AccountSession & { sid: string }): void {
  ctx.state.setupSession = session;
}

async function renderSetup(
  deps: AppSetupDeps,
  ctx: Context,
  session: AccountSession & { sid: string },
  shown: { errors?: { field?: string; message: string }[] },
  status = 200,
) {
  const account = await deps.accounts.findById(session.accountId);
  if (!account) throw new FlowExpired();
  const { secret, uri } = await deps.accounts.authenticatorApp.pendingEnrolment({
    binding: appBinding(session),
    accountId: account.id,
    account: account.username,
  });
  // Rendered here, as an image in the page: the secret never goes to an outside QR service.
  // Loaded on first use (~11 MB): few people set up an authenticator app, every process would pay.
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 232 });
  deps.render(
    ctx,
    'account-app',
    {
      title: translate(localeOf(ctx), 'app.setupTitle'),
      qr,
      secretGroups: secret.match(/.{4}/g) ?? [secret],
      ...shown,
    },
    status,
  );
}

/** The setup page shown again after a wrong first code. */
export function appSetupPage(deps: AppSetupDeps): FormPage {
  return async function appSetupPage(ctx, shown, status = 200) {
    const session = ctx.state.setupSession as (AccountSession & { sid: string }) | undefined;
    if (!session) throw new FlowExpired();
    await renderSetup(deps, ctx, session, shown, status);
  };
}

/**
 * GET /account/app: the QR code and the secret as text for a new authenticator app (after a recent login at
 * the standard level, else a sign-in again first); the same secret until it is confirmed or 10 minutes pass.
 */
export function showAppSetup(deps: AccountSessionDeps & AppSetupDeps): Middleware {
  return async function showAppSetup(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) {
      ctx.redirect('/account/login');
      return;
    }
    if (!(await checkRecentLogin({ securityFactors: deps.accounts.securityFactors }, ctx, session))) {
      ctx.redirect('/account/login?reauth=1');
      return;
    }
    await renderSetup(deps, ctx, session, {});
  };
}
