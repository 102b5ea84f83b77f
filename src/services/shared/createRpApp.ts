import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Context, type Middleware } from 'koa';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  buildEndSessionUrl,
  calculatePKCECodeChallenge,
  fetchUserInfo,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import { type Clock, systemClock } from '../../shared/clock.js';
import { HawiyaError } from '../../shared/errors.js';
import { type Logger, maskNationalId } from '../../shared/logger.js';
import { originFormOnly } from '../../shared/originFormOnly.js';
import { securityHeaders } from '../../shared/securityHeaders.js';
import { createIdpConnection, type IdpConnection } from './createIdpConnection.js';
import { createRpRenderer, RP_VIEWS_DIR } from './createRpRenderer.js';
import { createMemoryStore } from './memoryStore.js';
import type { RpLocale, RpMessageKey } from './rpMessages.js';
import { createRpSessions, type RpSessions } from './rpSessions.js';
import { verifyLogoutToken } from './verifyLogoutToken.js';

/** What makes one civil-affairs service different from the other. */
export interface RpServiceDefinition {
  /** the client id registered at Hawiya */
  clientId: string;
  /** the service's own scope, asked for next to openid profile national_id */
  serviceScope: string;
  name: Record<RpLocale, string>;
  description: Record<RpLocale, string>;
}

export interface RpApp {
  app: Koa;
  sessions: RpSessions;
}

interface LoginTransaction {
  verifier: string;
  state: string;
  nonce: string;
}

const LOGIN_TTL_MS = 10 * 60_000;
const MAX_PENDING_LOGINS = 10_000;

/** A relying party of Hawiya: sign-in by authorization code + PKCE, a home page, RP-initiated and back-channel logout. */
export function createRpApp(opts: {
  service: RpServiceDefinition;
  /** the service's public URL, without trailing slash: redirect URIs are registered against it */
  baseUrl: string;
  issuer: string;
  clientSecret: string;
  logger: Logger;
  clock?: Clock;
  /** trust X-Forwarded-* from a TLS-terminating proxy */
  trustProxy?: boolean;
  cacheViews?: boolean;
  /** for tests: a ready connection instead of discovery against `issuer` */
  idp?: IdpConnection;
}): RpApp {
  const { service, baseUrl, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const https = baseUrl.startsWith('https://');
  const idp =
    opts.idp ??
    createIdpConnection({
      issuer: opts.issuer,
      clientId: service.clientId,
      clientSecret: opts.clientSecret,
      logger,
    });
  const sessions = createRpSessions({ clock });
  const logins = createMemoryStore<LoginTransaction>({
    clock,
    maxEntries: MAX_PENDING_LOGINS,
    idleMs: LOGIN_TTL_MS,
  });
  const render = createRpRenderer({ cache: opts.cacheViews ?? false, service });

  // Both services may share a host (localhost:3001 and :3002 share cookies), so names carry the client id.
  const prefix = https ? '__Host-' : '';
  const cookies = {
    session: `${prefix}${service.clientId}.session`,
    login: `${prefix}${service.clientId}.login`,
    lang: `${prefix}${service.clientId}.lang`,
  };
  const cookieOpts = (maxAge?: number) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: https,
    path: '/',
    overwrite: true,
    ...(maxAge ? { maxAge } : {}),
  });

  const showError = (ctx: Context, key: RpMessageKey, status: number, retry?: string) =>
    render(ctx, { view: 'error', data: { messageKey: key, retry }, status });

  const router = new Router();
  const form = bodyParser({ enableTypes: ['form'], formLimit: '64kb', encoding: 'utf-8' });

  router.get('/', async function showHome(ctx) {
    const session = currentSession(ctx);
    const name = session ? (ctx.state.locale === 'en' ? session.nameEn : session.nameAr) : undefined;
    render(ctx, {
      view: 'home',
      data: session
        ? {
            signedIn: true,
            name,
            maskedNationalId: session.nationalId ? maskNationalId(session.nationalId) : undefined,
            csrf: session.csrf,
          }
        : { signedIn: false },
    });
  });

  router.get('/login', async function startLogin(ctx) {
    let config: Awaited<ReturnType<IdpConnection['configuration']>>;
    try {
      config = await idp.configuration();
    } catch {
      ctx.set('Retry-After', '30');
      return showError(ctx, 'idp_unavailable', 503, '/login');
    }
    const tx: LoginTransaction = {
      verifier: randomPKCECodeVerifier(),
      state: randomState(),
      nonce: randomNonce(),
    };
    const txId = randomBytes(32).toString('base64url');
    logins.set(txId, tx);
    ctx.cookies.set(cookies.login, txId, cookieOpts(LOGIN_TTL_MS));
    const url = buildAuthorizationUrl(config, {
      redirect_uri: `${baseUrl}/callback`,
      scope: `openid profile national_id ${service.serviceScope}`,
      code_challenge: await calculatePKCECodeChallenge(tx.verifier),
      code_challenge_method: 'S256',
      state: tx.state,
      nonce: tx.nonce,
      resource: `${baseUrl}/api`,
      ui_locales: ctx.state.locale,
    });
    ctx.redirect(url.href);
  });

  router.get('/callback', async function finishLogin(ctx) {
    const txId = ctx.cookies.get(cookies.login);
    const tx = txId ? logins.take(txId) : undefined;
    ctx.cookies.set(cookies.login, null, cookieOpts());
    const error = ctx.query.error;
    if (error !== undefined) {
      logger.info({ error: String(error) }, 'sign-in ended with an authorization error');
      return showError(ctx, error === 'access_denied' ? 'access_denied' : 'login_failed', 400, '/login');
    }
    if (!tx) return showError(ctx, 'login_expired', 400, '/login');
    try {
      const config = await idp.configuration();
      // The URL Hawiya redirected to (the public one, whatever port we listen on): its query is the response.
      const currentUrl = new URL(`${baseUrl}/callback${ctx.search}`);
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
      const previous = ctx.cookies.get(cookies.session);
      if (previous) sessions.destroy(previous);
      const { id } = sessions.create({
        idToken: tokens.id_token,
        sub: idClaims.sub,
        sid: str(idClaims.sid),
        nameAr: str(info['name#ar']) ?? str(info.name) ?? '',
        nameEn: str(info['name#en']) ?? str(info.name) ?? '',
        nationalId: str(info.national_id),
      });
      ctx.cookies.set(cookies.session, id, cookieOpts());
      logger.info({ sub: idClaims.sub }, 'citizen signed in');
      ctx.status = 303;
      ctx.redirect('/');
    } catch (err) {
      logger.warn({ err: describe(err) }, 'sign-in could not be completed');
      return showError(ctx, 'login_failed', 400, '/login');
    }
  });

  router.post('/logout', form, async function logout(ctx) {
    const id = ctx.cookies.get(cookies.session);
    const session = id ? sessions.get(id) : undefined;
    if (!id || !session) {
      ctx.status = 303;
      return ctx.redirect('/');
    }
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!sameSecret(body._csrf, session.csrf)) return showError(ctx, 'csrf_failed', 403);
    sessions.destroy(id);
    ctx.cookies.set(cookies.session, null, cookieOpts());
    ctx.status = 303;
    try {
      const config = await idp.configuration();
      const url = buildEndSessionUrl(config, {
        id_token_hint: session.idToken,
        post_logout_redirect_uri: `${baseUrl}/`,
        ui_locales: ctx.state.locale,
      });
      ctx.redirect(url.href);
    } catch (err) {
      // Our session is over either way; Hawiya's ends on its own or at its next logout.
      logger.warn({ err: describe(err) }, 'RP-initiated logout could not reach the identity provider');
      ctx.redirect('/');
    }
  });

  router.post('/backchannel-logout', form, async function backchannelLogout(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const token = ((ctx.request.body ?? {}) as Record<string, unknown>).logout_token;
    try {
      if (typeof token !== 'string' || token === '') throw new HawiyaError('invalid_logout_token');
      const target = await verifyLogoutToken({
        token,
        issuer: opts.issuer,
        clientId: service.clientId,
        jwks: await idp.jwks(),
        now: clock.now(),
      });
      const ended = sessions.endByLogout(target);
      logger.info({ ended }, 'back-channel logout');
      ctx.status = 200;
      ctx.body = '';
    } catch (err) {
      logger.warn({ err: describe(err) }, 'back-channel logout token rejected');
      ctx.status = 400;
      ctx.body = { error: 'invalid_request' };
    }
  });

  router.get('/static/service.css', serveCss(opts.cacheViews ?? false));

  function currentSession(ctx: Context) {
    const id = ctx.cookies.get(cookies.session);
    return id ? sessions.get(id) : undefined;
  }

  const app = new Koa({ proxy: opts.trustProxy ?? false });
  app.use(originFormOnly());
  app.use(securityHeaders({ https }));
  if (https) {
    app.use(async function secureCookies(ctx, next) {
      // An https public URL means TLS ends at a proxy in front: mark cookies Secure even if this hop is http.
      ctx.cookies.secure = true;
      await next();
    });
  }
  app.use(async function errors(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) showError(ctx, 'not_found', 404);
    } catch (err) {
      logger.error({ err }, 'service request failed');
      showError(ctx, 'server_error', 500);
    }
  });
  app.use(locale(cookies.lang, cookieOpts));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, sessions };
}

/** ?lang=ar|en picks the language and remembers it; Arabic by default. */
function locale(cookie: string, cookieOpts: (maxAge?: number) => Record<string, unknown>): Middleware {
  return async function locale(ctx, next) {
    const asked = ctx.query.lang;
    if (asked === 'ar' || asked === 'en') {
      ctx.cookies.set(cookie, asked, cookieOpts(365 * 86_400_000));
      ctx.state.locale = asked;
    } else {
      ctx.state.locale = ctx.cookies.get(cookie) === 'en' ? 'en' : 'ar';
    }
    await next();
  };
}

function serveCss(cache: boolean): Middleware {
  let css: string | undefined;
  return async function serveCss(ctx) {
    // Hawiya's page style, then the services' changes: one file for the browser, one source of truth.
    css =
      cache && css
        ? css
        : `${await readFile(join(RP_VIEWS_DIR, '..', 'static', 'hawiya.css'), 'utf8')}\n${await readFile(join(RP_VIEWS_DIR, 'service.css'), 'utf8')}`;
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = css;
  };
}

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// Error messages only: openid-client errors can carry responses, and tokens must never reach the logs.
function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; error?: unknown; error_description?: unknown };
  return {
    name: e.name,
    message: e.message,
    errorCode: e.code,
    error: e.error,
    error_description: e.error_description,
  };
}
