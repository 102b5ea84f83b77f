import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { pageText } from '../../../i18n/messages.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/** The code page of a login transaction (FlowExpired once it has ended). */
export function otpPage(deps: { login: Login; render: Renderer }): FormPage {
  return async function otpPage(ctx, shown, status = 200) {
    const uid = String(ctx.params.uid);
    const tx = await deps.login.transaction(uid);
    deps.render(
      ctx,
      'otp',
      {
        title: pageText(localeOf(ctx), 'otp.title'),
        uid,
        channel: tx.channel,
        maskedTo: tx.maskedTo,
        emailAllowed: tx.hasEmail,
        passkeyAllowed: (tx.passkeys ?? []).length > 0,
        appAllowed: tx.app === true,
        recoveryAllowed: tx.recovery === true,
        ...shown,
      },
      status,
    );
  };
}

/** GET /interaction/:uid/otp */
export function showOtp(deps: { provider: () => Provider; login: Login; render: Renderer }): Middleware {
  const page = otpPage(deps);
  return async function showOtp(ctx) {
    await interactionOf(deps.provider, ctx, 'login');
    await page(ctx, {
      notice: ctx.query.resent === '1' ? pageText(localeOf(ctx), 'otp.resent') : undefined,
    });
  };
}
