import type { Middleware } from 'koa';
import { buildEndSessionUrl } from 'openid-client';
import { serviceUris } from '../../../shared/serviceRegistry.js';
import { SIGNED_OUT_STATE } from '../createRpRenderer.js';
import { describeError } from '../describeError.js';
import { currentSession } from '../middleware/loadSession.js';
import type { RpSignInDeps } from '../rpSignInDeps.js';
import { sameSecret } from '../sameSecret.js';
import { showError } from '../showError.js';

/** POST /logout: ends the session here (CSRF-checked), then RP-initiated logout at Hawiya. */
export function logout(deps: RpSignInDeps): Middleware {
  const postLogoutRedirectUri = serviceUris(deps.baseUrl).postLogoutRedirectUri;
  return async function logout(ctx) {
    const current = currentSession(ctx);
    if (!current) {
      ctx.status = 303;
      return ctx.redirect('/');
    }
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!sameSecret(body._csrf, current.session.csrf)) {
      return showError(deps.render, ctx, { key: 'csrf_failed', status: 403 });
    }
    await deps.sessions.destroy(current.id);
    ctx.cookies.set(deps.cookies.names.session, null, deps.cookies.options());
    ctx.status = 303;
    try {
      const config = await deps.idp.configuration();
      const url = buildEndSessionUrl(config, {
        id_token_hint: current.session.idToken,
        post_logout_redirect_uri: postLogoutRedirectUri,
        // Hawiya hands it back on the way home: the home page then says "you have signed out"
        state: SIGNED_OUT_STATE,
        ui_locales: ctx.state.locale,
      });
      ctx.redirect(url.href);
    } catch (err) {
      // Our session is over either way; Hawiya's ends on its own or at its next logout.
      deps.logger.warn(
        { err: describeError(err) },
        'RP-initiated logout could not reach the identity provider',
      );
      ctx.redirect('/');
    }
  };
}
