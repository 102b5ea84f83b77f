import Router from '@koa/router';
import Koa from 'koa';
import type { Db } from '../../db/createDb.js';
import { databaseProblems } from '../../db/databaseReadiness.js';
import type { Notifier } from '../../notify/index.js';
import { createAudit } from '../../shared/audit.js';
import { type Clock, systemClock } from '../../shared/clock.js';
import { livenessAction, readinessAction } from '../../shared/healthEndpoints.js';
import type { Logger } from '../../shared/logger.js';
import { originFormOnly } from '../../shared/originFormOnly.js';
import { securityHeaders } from '../../shared/securityHeaders.js';
import { SERVICE_PATHS, serviceById, serviceUris } from '../../shared/serviceRegistry.js';
import { backchannelLogout } from './actions/backchannelLogout.js';
import { finishLogin } from './actions/finishLogin.js';
import { logout } from './actions/logout.js';
import { serveServiceAssets } from './actions/serveServiceAssets.js';
import { serveServiceCss } from './actions/serveServiceCss.js';
import { startLogin } from './actions/startLogin.js';
import { createApiAuth } from './apiAuth.js';
import { sessionApiToken } from './apiTokens.js';
import { createIdpConnection, type IdpConnection } from './createIdpConnection.js';
import { createRpRenderer, scopedRenderer } from './createRpRenderer.js';
import { createDpopProofs } from './dpopProofsRepo.js';
import { createEndedSessions } from './endedSessionsRepo.js';
import { loadSession } from './middleware/loadSession.js';
import { locale } from './middleware/locale.js';
import { readForm } from './middleware/readForm.js';
import { rpErrors } from './middleware/rpErrors.js';
import { createRpCookies } from './rpCookies.js';
import { createRpLogins } from './rpLoginsRepo.js';
import type { RpService, RpServiceDeps } from './rpService.js';
import { createRpSessions, type RpSessions } from './rpSessionsRepo.js';
import type { CalledApi, RpSignInDeps } from './rpSignInDeps.js';

export interface RpApp {
  app: Koa;
  sessions: RpSessions;
  /** stops the service's scheduled work, if it has any */
  stop(): void;
}

/**
 * A relying party of Hawiya: the shared part (sign-in by authorization code + PKCE, RP-initiated and
 * back-channel logout, sessions in the database, error pages) around one service's own routes and views.
 */
export function createRpApp(opts: {
  service: RpService;
  /** the database holding service_sessions and service_logins (and the service's own tables) */
  db: Db;
  /** the service's public URL, without trailing slash: redirect URIs are registered against it */
  baseUrl: string;
  issuer: string;
  clientSecret: string;
  logger: Logger;
  clock?: Clock;
  /** trust X-Forwarded-* from a TLS-terminating proxy */
  trustProxy?: boolean;
  /** how many proxies append to X-Forwarded-For: the client is the entry the outermost one added */
  trustProxyHops?: number;
  cacheViews?: boolean;
  /** for tests: a ready connection instead of discovery against `issuer` */
  idp?: IdpConnection;
  /** SMS and e-mail to the signed-in person (confirmations) */
  notifier: Notifier;
  /** why this process cannot serve now, for /readyz (the database's state by default) */
  readiness?: () => Promise<string[]>;
  /** the public URLs of the other services, whose APIs this one may call (its descriptor's `calls`) */
  serviceUrls?: Partial<Record<string, string>>;
  /** false: no scheduled work (tests that drive it themselves) */
  background?: boolean;
  /** first of all: times each request by its route (metrics on) */
  requestMetrics?: Koa.Middleware;
}): RpApp {
  const { service, baseUrl, logger, db } = opts;
  const serviceId = service.descriptor.id;
  const clock = opts.clock ?? systemClock;
  const https = baseUrl.startsWith('https://');
  const cacheViews = opts.cacheViews ?? false;
  const render = createRpRenderer({
    cache: cacheViews,
    service: { name: service.descriptor.name, description: service.description },
    issuer: opts.issuer,
  });
  const cookies = createRpCookies({ serviceId, https });
  const sessions = createRpSessions({ db, clock, service: serviceId });
  const endedSessions = createEndedSessions({ db, clock, service: serviceId });
  const calledApis: CalledApi[] = service.descriptor.calls.map((c) => {
    const url = opts.serviceUrls?.[c.service];
    const called = serviceById(c.service);
    if (!url || !called) throw new Error(`${serviceId} calls ${c.service}, whose URL is not given`);
    return { service: c.service, scope: called.scope, resource: serviceUris(url).apiResource };
  });
  const deps: RpSignInDeps = {
    calledApis,
    descriptor: service.descriptor,
    baseUrl,
    issuer: opts.issuer,
    idp:
      opts.idp ??
      createIdpConnection({
        issuer: opts.issuer,
        clientId: serviceId,
        clientSecret: opts.clientSecret,
        logger,
      }),
    sessions,
    endedSessions,
    logins: createRpLogins({ db, clock, service: serviceId }),
    cookies,
    render,
    logger,
    clock,
  };

  // The stylesheet needs no session: served before the session is looked up (and touched).
  const assets = new Router();
  assets.get('/static/service.css', serveServiceCss({ cache: cacheViews }));
  assets.get('/healthz', livenessAction());
  assets.get('/readyz', readinessAction(opts.readiness ?? (() => databaseProblems(db))));
  const files = serveServiceAssets();
  assets.get('/static/:file', files);
  assets.get('/favicon.ico', files);
  const form = readForm();
  const router = new Router();
  router.get(SERVICE_PATHS.login, startLogin(deps));
  router.get(SERVICE_PATHS.callback, finishLogin(deps));
  router.post(SERVICE_PATHS.logout, form, logout(deps));
  router.post(SERVICE_PATHS.backchannelLogout, form, backchannelLogout(deps));
  const serviceDeps: RpServiceDeps = {
    db,
    clock,
    logger,
    render: scopedRenderer(render, serviceId),
    baseUrl,
    issuer: opts.issuer,
    idp: deps.idp,
    apiAuth: createApiAuth({
      issuer: opts.issuer,
      audience: serviceUris(baseUrl).apiResource,
      jwks: () => deps.idp.jwks(),
      now: () => clock.now(),
      ended: (token) => endedSessions.isEnded(token),
      proofs: createDpopProofs({ db, clock }),
    }),
    apiToken: (ctx, resource) => sessionApiToken(deps, ctx, resource),
    calledApis,
    notifier: opts.notifier,
    audit: createAudit({ db, logger, clock }),
  };
  service.routes(router, serviceDeps);
  const stop = opts.background === false ? () => {} : (service.background?.(serviceDeps) ?? (() => {}));

  const app = new Koa({ proxy: opts.trustProxy ?? false, maxIpsCount: opts.trustProxyHops ?? 0 });
  if (opts.requestMetrics) app.use(opts.requestMetrics);
  app.use(originFormOnly());
  app.use(securityHeaders({ https }));
  if (https) {
    app.use(async function secureCookies(ctx, next) {
      // An https public URL means TLS ends at a proxy in front: mark cookies Secure even if this hop is http.
      ctx.cookies.secure = true;
      await next();
    });
  }
  app.use(rpErrors({ render, logger }));
  app.use(locale(cookies));
  app.use(assets.routes());
  app.use(loadSession({ sessions, cookies }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, sessions, stop };
}
