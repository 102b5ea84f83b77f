import type { Context, Middleware } from 'koa';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../../db/databaseUnavailable.js';
import { HawiyaError } from '../../shared/errors.js';
import { UnreadableBody } from '../../shared/formBody.js';
import type { Logger } from '../../shared/logger.js';
import { type ApiAuth, ApiAuthRefused, type ApiCaller } from './apiAuth.js';
import { describeError } from './describeError.js';
import { hasRpMessage, rpTranslate } from './rpMessages.js';

/**
 * A JSON API action: the caller is authenticated from `Authorization` (and `DPoP`) before `handle` runs,
 * and every error becomes JSON: RFC 6750 challenges for token problems, `{error, error_description}` with
 * the domain's stable code otherwise (its English message as the description), never an HTML page.
 */
export function apiHandler(
  deps: { apiAuth: ApiAuth; baseUrl: string; logger: Logger },
  scope: string,
  handle: (ctx: Context, caller: ApiCaller) => Promise<void>,
): Middleware {
  return async function api(ctx) {
    ctx.set('Cache-Control', 'no-store');
    try {
      const caller = await deps.apiAuth.authenticate(
        {
          authorization: ctx.get('Authorization') || undefined,
          dpop: ctx.get('DPoP') || undefined,
          method: ctx.method,
          url: `${deps.baseUrl}${ctx.path}`,
        },
        scope,
      );
      await handle(ctx, caller);
    } catch (err) {
      if (err instanceof ApiAuthRefused) {
        ctx.set('WWW-Authenticate', err.challenge(new URL(deps.baseUrl).host));
        ctx.status = err.status;
        ctx.body = { error: err.code };
        return;
      }
      if (err instanceof UnreadableBody) {
        ctx.status = err.status;
        ctx.body = { error: 'invalid_request', error_description: 'a JSON object body is required' };
        return;
      }
      if (err instanceof HawiyaError && err.status >= 400 && err.status < 600) {
        ctx.status = err.status;
        const fields = (err as { fields?: Record<string, string | undefined> }).fields;
        const params = Object.fromEntries(Object.entries(err.params).map(([k, v]) => [k, String(v)]));
        if (err.status === 429 && params.seconds) ctx.set('Retry-After', params.seconds);
        ctx.body = {
          error: err.code,
          ...(hasRpMessage(err.code) ? { error_description: rpTranslate('en', err.code, params) } : {}),
          ...(fields && Object.keys(fields).length > 0 ? { fields: snakeKeys(fields) } : {}),
        };
        return;
      }
      if (isDatabaseUnavailable(err)) {
        ctx.status = 503;
        ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        ctx.body = {
          error: 'service_unavailable',
          error_description: rpTranslate('en', 'service_unavailable'),
        };
        return;
      }
      deps.logger.error({ err: describeError(err), path: ctx.path }, 'API request failed');
      ctx.status = 500;
      ctx.body = { error: 'server_error' };
    }
  };
}

/** The API speaks snake_case: holderNationalId → holder_national_id. */
function snakeKeys(fields: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}
