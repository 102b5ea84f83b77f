import type { Context, Middleware } from 'koa';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../../db/databaseUnavailable.js';
import { hasMessage, type Locale, pageText } from '../../i18n/messages.js';
import { HawiyaError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { PageState, Renderer } from '../render.js';

/** A step of a journey that has ended: its page leads back to the service that asked, when there is one. */
const ENDED = new Set(['flow_expired', 'interaction_expired']);

/**
 * The one place domain errors become responses; anything unknown is a plain 500 page, never a stack. A
 * journey that has ended (back button after signing in, a lost session) offers the way back to the
 * service that asked (`serviceHome`).
 */
export function errors(
  render: Renderer,
  opts: {
    serviceHome?: (ctx: Context, locale: Locale) => Promise<{ href: string; name: string } | undefined>;
  } = {},
): Middleware {
  const page = async (ctx: Context, locale: Locale, key: string, message: string, status: number) => {
    const home = ENDED.has(key) ? await opts.serviceHome?.(ctx, locale) : undefined;
    render(ctx, 'error', { message, ...(home ? { serviceHome: home } : {}) }, status);
  };
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
        await page(ctx, locale, err.code, message, err.status);
        return;
      }
      const status = (err as { status?: number; expose?: boolean }).status;
      if (status && status >= 400 && status < 500 && (err as { expose?: boolean }).expose) {
        // oidc-provider (expired interaction) and body-parser (malformed or oversized form) client errors
        const name = (err as Error).name;
        const key =
          name === 'SessionNotFound' || name === 'InvalidRequest' ? 'interaction_expired' : 'bad_request';
        await page(ctx, locale, key, pageText(locale, key), status);
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
