import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Login } from '../../../accounts/login/createLogin.js';
import { interactionOf } from './interactionOf.js';

/**
 * POST /interaction/:uid/passkey/options: a fresh single-use challenge for this login (JSON, read by
 * views/static/passkey-login.js); every call replaces the previous one.
 */
export function passkeyOptions(deps: { provider: () => Provider; login: Login }): Middleware {
  return async function passkeyOptions(ctx) {
    const details = await interactionOf(deps.provider, ctx, 'login');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.login.passkeyOptions(details.uid);
  };
}
