import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { clientDisplay } from './clientDisplay.js';
import { interactionOf } from './interactionOf.js';

/**
 * POST /interaction/:uid/login: the password, then the person's passkey, their authenticator app, or a code
 * by SMS to the registry's mobile.
 */
export function submitPassword(deps: { provider: () => Provider; login: Login }): Middleware {
  return async function submitPassword(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    const locale = localeOf(ctx);
    const client = await clientDisplay(deps.provider(), details.params, locale);
    const { next } = await deps.login.submitPassword({
      uid: details.uid,
      identifier: field(ctx, 'identifier', 200),
      password: field(ctx, 'password'),
      required: client.requiredAcr,
      locale,
      meta: metaOf(ctx),
    });
    const page = { passkey: 'passkey', app: 'app', code: 'otp' }[next];
    seeOther(ctx, `/interaction/${details.uid}/${page}`);
  };
}
