import type { Middleware } from 'koa';
import * as oidc from 'openid-client';
import type { FlowsRepo } from '../../../flows/flowsRepo.js';
import { newFlowHandle } from '../../../flows/flowsRepo.js';
import { type FlowCookie, localeOf } from '../../requestContext.js';
import { ACCOUNT_SESSION_SECONDS, type AccountRp, type AccountSession } from './accountRp.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';
import type { RecentLoginDeps } from './recentLogin.js';

/**
 * GET /account/login: the account pages sign the person in through Hawiya (code flow, PKCE, state, nonce);
 * `?reauth=1` asks for a fresh login (max_age=0) before a change of sign-in methods, at the level the
 * signed-in account's factors reach (checklist 21).
 */
export function startAccountLogin(
  deps: AccountSessionDeps & RecentLoginDeps & { rp: AccountRp; flows: FlowsRepo; cookie: FlowCookie },
): Middleware {
  return async function startAccountLogin(ctx) {
    const config = await deps.rp.configuration();
    const reauth = ctx.query.reauth === '1';
    const current = reauth ? await currentAccountSession(deps, ctx) : undefined;
    const level = current ? await deps.securityFactors.levelForChanges(current.accountId) : undefined;
    const pending = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
    };
    const handle = newFlowHandle();
    await deps.flows.save<AccountSession>(
      'account',
      handle,
      { accountId: '', pending },
      ACCOUNT_SESSION_SECONDS,
    );
    deps.cookie.set(ctx, handle);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: deps.rp.redirectUri,
      scope: 'openid profile national_id',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ui_locales: localeOf(ctx),
      // ?reauth=1 (a change of sign-in methods after 10 minutes): a fresh login, whatever the session.
      max_age: reauth ? '0' : '900',
      ...(level ? { acr_values: level } : {}),
      // The ID token then names the Hawiya session (sid), which the account pages are bound to.
      claims: JSON.stringify({ id_token: { sid: null } }),
    });
    ctx.redirect(url.href);
  };
}
