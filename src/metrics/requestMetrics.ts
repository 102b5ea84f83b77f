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
      const route = typeof matched === 'string' ? matched : (answeringRoute.get(ctx.req) ?? 'unmatched');
      metrics.requests.observe(
        {
          app,
          method: KNOWN_METHODS.has(ctx.method) ? ctx.method : 'other',
          route,
          status: `${Math.floor(ctx.status / 100)}xx`,
        },
        Number(process.hrtime.bigint() - start) / 1e9,
      );
      if (ctx.status === 429) metrics.limited.inc({ app, route });
    }
  };
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
