import type { Middleware } from 'koa';
import { authorizationCodeGrant, fetchUserInfo } from 'openid-client';
import { serviceUris } from '../../../shared/serviceRegistry.js';
import { apiTokensFrom } from '../apiTokens.js';
import { SIGN_IN_CANCELLED } from '../createRpRenderer.js';
import { describeError } from '../describeError.js';
import { LANG_COOKIE_MS } from '../middleware/locale.js';
import type { RpSignInDeps } from '../rpSignInDeps.js';
import { showError } from '../showError.js';

/**
 * GET /callback: exchanges the code, reads userinfo, and starts a new session (never the old id), in the
 * language the person used at Hawiya.
 */
export function finishLogin(deps: RpSignInDeps): Middleware {
  const { cookies, logger } = deps;
  const redirectUri = serviceUris(deps.baseUrl).redirectUri;
  return async function finishLogin(ctx) {
    const tx = await deps.logins.take(ctx.cookies.get(cookies.names.login));
    ctx.cookies.set(cookies.names.login, null, cookies.options());
    const error = ctx.query.error;
    if (error !== undefined) {
      logger.info({ error: String(error) }, 'sign-in ended with an authorization error');
      // Cancelled at Hawiya (or consent declined): back to the home page, signed in if the person was.
      if (error === 'access_denied' && tx && ctx.query.state === tx.state) {
        ctx.status = 303;
        ctx.redirect(`/?signin=${SIGN_IN_CANCELLED}`);
        return;
      }
      const key = error === 'access_denied' ? 'access_denied' : 'login_failed';
      return showError(deps.render, ctx, { key, status: 400, retry: '/login' });
    }
    if (!tx) return showError(deps.render, ctx, { key: 'login_expired', status: 400, retry: '/login' });
    try {
      const config = await deps.idp.configuration();
      // The URL Hawiya redirected to (the public one, whatever port we listen on): its query is the response.
      const currentUrl = new URL(`${redirectUri}${ctx.search}`);
      const tokens = await authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: tx.verifier,
        expectedState: tx.state,
        expectedNonce: tx.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims || !tokens.id_token) throw new Error('no id_token');
      const info = await fetchUserInfo(config, tokens.access_token, idClaims.sub);
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const previous = ctx.cookies.get(cookies.names.session);
      if (previous) await deps.sessions.destroy(previous);
      const { id } = await deps.sessions.create({
        idToken: tokens.id_token,
        sub: idClaims.sub,
        sid: str(idClaims.sid),
        nameAr: str(info['name#ar']) ?? str(info.name) ?? '',
        nameEn: str(info['name#en']) ?? str(info.name) ?? '',
        nationalId: str(info.national_id),
        api: await apiTokensFrom({ deps, config, refreshToken: tokens.refresh_token }),
      });
      ctx.cookies.set(cookies.names.session, id, cookies.options());
      // The language the person signed in with at Hawiya (the `locale` claim) becomes the service's too.
      const locale = str(info.locale);
      if (locale === 'ar' || locale === 'en') {
        ctx.cookies.set(cookies.names.lang, locale, cookies.options(LANG_COOKIE_MS));
      }
      logger.info({ sub: idClaims.sub }, 'citizen signed in');
      ctx.status = 303;
      ctx.redirect('/');
    } catch (err) {
      logger.warn({ err: describeError(err) }, 'sign-in could not be completed');
      return showError(deps.render, ctx, { key: 'login_failed', status: 400, retry: '/login' });
    }
  };
}
