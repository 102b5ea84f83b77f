import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { translate } from '../../../i18n/messages.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/** The authenticator-app step after a password (an SMS code, a passkey or a recovery code offered beside it). */
export function appCodePage(deps: { login: Login; render: Renderer }): FormPage {
  return async function appCodePage(ctx, shown, status = 200) {
    const uid = String(ctx.params.uid);
    const tx = await deps.login.transaction(uid);
    deps.render(
      ctx,
      'app-code',
      {
        title: translate(localeOf(ctx), 'app.title'),
        uid,
        passkeyAllowed: (tx.passkeys ?? []).length > 0,
        recoveryAllowed: tx.recovery === true,
        ...shown,
      },
      status,
    );
  };
}

/** GET /interaction/:uid/app */
export function showAppCode(deps: { provider: () => Provider; login: Login; render: Renderer }): Middleware {
  const page = appCodePage(deps);
  return async function showAppCode(ctx) {
    await interactionOf(deps.provider, ctx, 'login');
    await page(ctx, {});
  };
}
