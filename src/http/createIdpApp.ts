import Koa, { type Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Logger } from '../shared/logger.js';
import { originFormOnly } from '../shared/originFormOnly.js';
import { requestScope } from '../shared/requestScope.js';
import { securityHeaders } from '../shared/securityHeaders.js';
import type { IdpDeps } from './deps.js';
import { askingServiceHome } from './middleware/askingService.js';
import { errors } from './middleware/errors.js';
import { locale } from './middleware/locale.js';
import { servePublishedDocuments } from './middleware/publishedDocuments.js';
import { refusedWithoutKeys } from './middleware/refuseSigningWithoutKeys.js';
import { rejectControlChars } from './middleware/rejectControlChars.js';
import { requestId } from './middleware/requestId.js';
import type { ProviderHandler } from './providerHandler.js';
import { createRouter } from './router.js';

/**
 * Hawiya's pages first, then oidc-provider for every protocol endpoint. The provider is looked up per
 * request, so a new one (new signing keys) takes over without a restart or a dropped request.
 */
export function createIdpApp(
  deps: IdpDeps & {
    logger: Logger;
    issuer: string;
    trustProxy: boolean;
    /** proxies that append to X-Forwarded-For: ctx.ip is the entry the outermost of them added */
    trustProxyHops: number;
    keys: string[];
    /** first of all: times each request by its route (metrics on) */
    requestMetrics?: Middleware;
    /** set while the signing keys could not be loaded: the provider then signs nothing (see below) */
    keyProblem?: () => string | undefined;
    /** the request handler of a provider (providerHandler.ts) */
    providerHandler: (provider: Provider) => ProviderHandler;
  },
): Koa {
  // maxIpsCount: only the addresses our own proxies appended count; what a client put to their left is
  // ignored (Koa's default, 0, would take the leftmost, which the client controls).
  const app = new Koa({ proxy: deps.trustProxy, maxIpsCount: deps.trustProxyHops, keys: deps.keys });
  const secure = deps.issuer.startsWith('https://');
  const router = createRouter(deps, { secure, origin: new URL(deps.issuer).origin });
  app.use(requestScope());
  if (deps.requestMetrics) app.use(deps.requestMetrics);
  app.use(originFormOnly());
  app.use(servePublishedDocuments({ provider: deps.provider, logger: deps.logger }));
  app.use(requestId(deps.logger));
  app.use(securityHeaders({ https: secure }));
  app.use(locale());
  app.use(
    errors(deps.render, { serviceHome: (ctx, locale) => askingServiceHome(deps.provider(), ctx, locale) }),
  );
  app.use(rejectControlChars(deps.render));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(async function oidc(ctx) {
    if (ctx.matched && ctx.matched.length > 0) return;
    const provider = deps.provider();
    if (refusedWithoutKeys(ctx, provider, deps.keyProblem?.(), deps.render)) return;
    ctx.respond = false;
    await deps.providerHandler(provider)(ctx.req, ctx.res);
  });
  app.on('error', (err) => deps.logger.error({ err }, 'koa error'));
  return app;
}
