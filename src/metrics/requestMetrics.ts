import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import type { Metrics } from './createMetrics.js';

/**
 * The route template a request was answered by, when a router other than the app's own answered it
 * (oidc-provider's, for the protocol endpoints): set by that router's middleware, read here afterwards.
 */
export const answeringRoute = new WeakMap<IncomingMessage, string>();

/**
 * First middleware of an app: the request's latency by route template (`/interaction/:uid/otp`, or the
 * provider's route name as `oidc:token`), never the raw path, so IDs in paths add no series. Requests no
 * route matched (404s, probes) share `unmatched`.
 */
export function requestMetrics(metrics: Metrics, app: string): Middleware {
  return async function requestMetrics(ctx, next) {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      observeRequest(metrics, app, {
        method: ctx.method,
        route: typeof matched === 'string' ? matched : undefined,
        req: ctx.req,
        status: ctx.status,
        start,
      });
    }
  };
}

/**
 * One answered request: its route is the app's own (`route`) or the one another router stashed for `req`,
 * `unmatched` otherwise; `start` from `process.hrtime.bigint()`.
 */
export function observeRequest(
  metrics: Metrics,
  app: string,
  r: { method: string; route?: string; req: IncomingMessage; status: number; start: bigint },
): void {
  const route = r.route ?? answeringRoute.get(r.req) ?? 'unmatched';
  metrics.requests.observe(
    {
      app,
      method: KNOWN_METHODS.has(r.method) ? r.method : 'other',
      route,
      status: `${Math.floor(r.status / 100)}xx`,
    },
    Number(process.hrtime.bigint() - r.start) / 1e9,
  );
  if (r.status === 429) metrics.limited.inc({ app, route });
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
