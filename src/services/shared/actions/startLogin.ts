import type { Middleware } from 'koa';
import {
  buildAuthorizationUrl,
  type Configuration,
  calculatePKCECodeChallenge,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import { serviceUris } from '../../../shared/serviceRegistry.js';
import { calledApis } from '../apiTokens.js';
import type { LoginTransaction } from '../rpLoginsRepo.js';
import type { RpSignInDeps } from '../rpSignInDeps.js';
import { showError } from '../showError.js';

const LOGIN_TTL_MS = 10 * 60_000;

/** GET /login: sends the citizen to Hawiya (code flow, PKCE S256, state, nonce, the service's scope and API). */
export function startLogin(deps: RpSignInDeps): Middleware {
  const uris = serviceUris(deps.baseUrl);
  const called = calledApis(deps);
  return async function startLogin(ctx) {
    let config: Configuration;
    try {
      config = await deps.idp.configuration();
    } catch {
      ctx.set('Retry-After', '30');
      return showError(deps.render, ctx, { key: 'idp_unavailable', status: 503, retry: '/login' });
    }
    const tx: LoginTransaction = {
      verifier: randomPKCECodeVerifier(),
      state: randomState(),
      nonce: randomNonce(),
    };
    const handle = await deps.logins.start(tx);
    ctx.cookies.set(deps.cookies.names.login, handle, deps.cookies.options(LOGIN_TTL_MS));
    const params = new URLSearchParams({
      redirect_uri: uris.redirectUri,
      // The contacts go into the API token too, so that the service can confirm what it records.
      scope: [
        'openid profile national_id phone email',
        deps.descriptor.scope,
        ...called.map((c) => c.scope),
      ].join(' '),
      code_challenge: await calculatePKCECodeChallenge(tx.verifier),
      code_challenge_method: 'S256',
      state: tx.state,
      nonce: tx.nonce,
      resource: uris.apiResource,
      ui_locales: ctx.state.locale,
    });
    // Other services' APIs it calls for the person: further resources of the same grant (RFC 8707).
    for (const c of called) params.append('resource', c.resource);
    const url = buildAuthorizationUrl(config, params);
    ctx.redirect(url.href);
  };
}
