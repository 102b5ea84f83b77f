import type { Middleware } from 'koa';

/**
 * Refuses request targets that are not a plain path (absolute-form such as `GET http://a:99999/x`, or
 * `*`): an origin server has no use for them, and URL parsing of hostile ones throws deep in Koa.
 */
export function originFormOnly(): Middleware {
  return async function originFormOnly(ctx, next) {
    const target = ctx.req.url ?? '';
    if (!target.startsWith('/') || target.startsWith('//')) {
      ctx.status = 400;
      ctx.type = 'text/plain';
      ctx.body = 'Bad Request';
      return;
    }
    await next();
  };
}
