import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { type Logger, requestLineLogger } from '../../shared/logger.js';

/** A request id on every request and response, and a child logger that carries it. */
export function requestId(logger: Logger): Middleware {
  const lines = requestLineLogger(logger);
  return async function requestId(ctx, next) {
    const id = randomUUID();
    ctx.state.requestId = id;
    ctx.state.log = logger.child({ reqId: id });
    ctx.set('X-Request-Id', id);
    const start = performance.now();
    try {
      await next();
    } finally {
      const status = ctx.respond === false ? ctx.res.statusCode : ctx.status;
      lines.info(
        { reqId: id, method: ctx.method, path: ctx.path, status, ms: Math.round(performance.now() - start) },
        'request',
      );
    }
  };
}
