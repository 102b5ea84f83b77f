import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { pageText } from '../../../i18n/messages.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';
import { loginPage } from './loginPage.js';

/** The passkey step after a password (a code by SMS offered beside it when it reaches the level). */
export function passkeyStepPage(deps: { login: Login; render: Renderer }): FormPage {
  return async function passkeyStepPage(ctx, shown, status = 200) {
    const uid = String(ctx.params.uid);
    const tx = await deps.login.transaction(uid);
    deps.render(
      ctx,
      'passkey',
      {
        title: pageText(localeOf(ctx), 'passkey.title'),
        uid,
        codeAllowed: !tx.passkeyOnly,
        appAllowed: tx.app === true,
        recoveryAllowed: tx.recovery === true,
        ...shown,
      },
      status,
    );
  };
}

/** A refused passkey is shown on the page it came from: the passkey step after a password, else the login form. */
export function passkeyFormPage(deps: {
  provider: () => Provider;
  login: Login;
  render: Renderer;
}): FormPage {
  const step = passkeyStepPage(deps);
  const login = loginPage(deps);
  return async function passkeyFormPage(ctx, shown, status) {
    const tx = await deps.login.transaction(String(ctx.params.uid)).catch(() => undefined);
    await (tx ? step : login)(ctx, shown, status);
  };
}

/** GET /interaction/:uid/passkey */
export function showPasskey(deps: { provider: () => Provider; login: Login; render: Renderer }): Middleware {
  const page = passkeyStepPage(deps);
  return async function showPasskey(ctx) {
    await interactionOf(deps.provider, ctx, 'login');
    await page(ctx, {});
  };
}
