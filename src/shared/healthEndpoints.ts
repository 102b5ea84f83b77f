import type { Middleware } from 'koa';

/**
 * /healthz: the process answers (a load balancer or supervisor restarts it when this fails).
 * /readyz: it can serve now; 503 with the reasons otherwise (the load balancer stops sending it requests).
 * Both are cheap JSON, never cached, and say nothing secret.
 */
export function livenessAction(): Middleware {
  return async function liveness(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  };
}

export function readinessAction(problems: () => Promise<string[]>): Middleware {
  return async function readiness(ctx) {
    const reasons = await problems().catch((err: Error) => [`readiness check failed: ${err.message}`]);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = reasons.length === 0 ? 200 : 503;
    ctx.body = reasons.length === 0 ? { status: 'ready' } : { status: 'unavailable', reasons };
  };
}
