import type { Middleware } from 'koa';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../../db/databaseUnavailable.js';
import { hasMessage, pageText } from '../../i18n/messages.js';
import { HawiyaError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { PageState, Renderer } from '../render.js';

/** The one place domain errors become responses; anything unknown is a plain 500 page, never a stack. */
export function errors(render: Renderer): Middleware {
  return async function errors(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) {
        render(
          ctx,
          'error',
          { message: pageText((ctx.state as PageState).locale ?? 'ar', 'not_found') },
          404,
        );
      }
    } catch (err) {
      const locale = (ctx.state as PageState).locale ?? 'ar';
      const log = (ctx.state.log as Logger | undefined) ?? undefined;
      if (err instanceof HawiyaError) {
        log?.info({ err: err.code }, 'request refused');
        const message = hasMessage(err.code)
          ? pageText(locale, err.code, err.params)
          : pageText(locale, 'server_error');
        if (err.status === 429 && typeof err.params.seconds === 'number')
          ctx.set('Retry-After', String(err.params.seconds));
        render(ctx, 'error', { message }, err.status);
        return;
      }
      const status = (err as { status?: number; expose?: boolean }).status;
      if (status && status >= 400 && status < 500 && (err as { expose?: boolean }).expose) {
        // oidc-provider (expired interaction) and body-parser (malformed or oversized form) client errors
        const name = (err as Error).name;
        const key =
          name === 'SessionNotFound' || name === 'InvalidRequest' ? 'interaction_expired' : 'bad_request';
        render(ctx, 'error', { message: pageText(locale, key) }, status);
        return;
      }
      if (isDatabaseUnavailable(err)) {
        // Nothing half-written: the transaction did not commit. The pool reconnects by itself.
        log?.warn({ err: (err as Error).message }, 'database unavailable');
        ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        render(ctx, 'error', { message: pageText(locale, 'service_unavailable') }, 503);
        return;
      }
      log?.error({ err }, 'unexpected error');
      render(ctx, 'error', { message: pageText(locale, 'server_error') }, 500);
    }
  };
}
