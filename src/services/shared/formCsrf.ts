import type { Context } from 'koa';
import { HawiyaError } from '../../shared/errors.js';
import { currentSession } from './middleware/loadSession.js';
import { sameSecret } from './sameSecret.js';

/** A page form's CSRF token must be the session's: otherwise the shared 403 page. */
export function checkFormCsrf(ctx: Context): Record<string, unknown> {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const session = currentSession(ctx)?.session;
  if (!session || !sameSecret(body._csrf, session.csrf)) throw new HawiyaError('csrf_failed', 403);
  return body;
}
