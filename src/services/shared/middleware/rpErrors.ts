import type { Middleware } from 'koa';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../../../db/databaseUnavailable.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import type { RpRenderer } from '../createRpRenderer.js';
import { describeError } from '../describeError.js';
import { hasRpMessage } from '../rpMessages.js';
import { showError } from '../showError.js';

/**
 * The one place a service's errors become pages. A request the client got wrong (a HawiyaError or an
 * exposed error with a 4xx status, e.g. a body too large or bad gzip) keeps its status and gets a plain
 * bilingual page, logged at warn without a stack; anything else is a 500 page, logged as an error.
 */
export function rpErrors(deps: { render: RpRenderer; logger: Logger }): Middleware {
  return async function errors(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        showError(deps.render, ctx, { key: 'not_found', status: 404 });
      }
    } catch (err) {
      const e = err as { status?: unknown; expose?: unknown };
      const clientError =
        typeof e.status === 'number' &&
        e.status >= 400 &&
        (e.status < 500 || (e.status === 503 && err instanceof HawiyaError)) &&
        (err instanceof HawiyaError || e.expose === true);
      if (clientError) {
        // Under another key than `err`: pino's error serializer would add the stack.
        deps.logger.warn({ refused: describeError(err), path: ctx.path }, 'request refused');
        const code = err instanceof HawiyaError ? err.code : '';
        const key = hasRpMessage(code) ? code : e.status === 413 ? 'too_large' : 'bad_request';
        showError(deps.render, ctx, { key, status: e.status as number });
        return;
      }
      if (isDatabaseUnavailable(err)) {
        deps.logger.warn({ err: (err as Error).message, path: ctx.path }, 'database unavailable');
        ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        showError(deps.render, ctx, { key: 'service_unavailable', status: 503 });
        return;
      }
      deps.logger.error({ err }, 'service request failed');
      showError(deps.render, ctx, { key: 'server_error', status: 500 });
    }
  };
}
