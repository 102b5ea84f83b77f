import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { translate } from '../../../i18n/messages.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/** The recovery-code step: in place of the second factor, for a person who saved codes. */
export function recoveryCodePage(deps: { login: Login; render: Renderer }): FormPage {
  return async function recoveryCodePage(ctx, shown, status = 200) {
    const uid = String(ctx.params.uid);
    const tx = await deps.login.transaction(uid);
    if (!tx.recovery) throw new FlowExpired();
    deps.render(
      ctx,
      'recovery-code',
      { title: translate(localeOf(ctx), 'recovery.title'), uid, ...shown },
      status,
    );
  };
}

/** GET /interaction/:uid/recovery */
export function showRecoveryCode(deps: {
  provider: () => Provider;
  login: Login;
  render: Renderer;
}): Middleware {
  const page = recoveryCodePage(deps);
  return async function showRecoveryCode(ctx) {
    await interactionOf(deps.provider, ctx, 'login');
    await page(ctx, {});
  };
}
