import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { anyControlChars } from './controlChars.js';
import { HawiyaError } from './errors.js';

/** A form body that could not be read, or held what no form sends: 413 when too large, otherwise 400. */
export class UnreadableBody extends HawiyaError {
  constructor(
    status: 400 | 413,
    readonly reason: string,
  ) {
    super('bad_request', status);
  }
}

interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Parses an urlencoded form (UTF-8, at most `limit`). Whatever goes wrong with the body itself (a bad
 * gzip or deflate stream, an unknown Content-Encoding or charset, a body over the limit, a cut-off
 * upload, a control character in a field) becomes UnreadableBody: one warn line without a stack (on
 * `ctx.state.log` when the app sets one) and a 400/413 from the app's error handling, never a 500. The
 * CSRF check and the action run only on a body that was read.
 */
export function formBody(opts: { limit: string; logger?: WarnLogger }): Middleware {
  const parse = bodyParser({ enableTypes: ['form'], formLimit: opts.limit, encoding: 'utf-8' });
  return async function formBody(ctx, next) {
    let problem: UnreadableBody | undefined;
    try {
      await parse(ctx, async () => {});
      if (anyControlChars(ctx.request.body))
        problem = new UnreadableBody(400, 'control character in a field');
    } catch (err) {
      const e = err as { status?: number; type?: string; code?: string; message?: string };
      problem = new UnreadableBody(
        e.status === 413 ? 413 : 400,
        e.type ?? e.code ?? e.message ?? 'unreadable',
      );
    }
    if (problem) {
      const log = (ctx.state.log as WarnLogger | undefined) ?? opts.logger;
      log?.warn(
        {
          status: problem.status,
          reason: problem.reason,
          encoding: ctx.get('Content-Encoding') || undefined,
        },
        'request body refused',
      );
      throw problem;
    }
    await next();
  };
}
