import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../db/databaseUnavailable.js';
import { pageText } from '../../i18n/messages.js';
import { routePath } from '../providerHandler.js';
import type { PageState, Renderer } from '../render.js';

/** The JSON answer of an endpoint machines call while this node signs nothing (with Retry-After). */
export const SIGNING_UNAVAILABLE = {
  error: 'server_error',
  error_description: 'the service is temporarily unavailable, try again shortly',
} as const;
// Answer from the keys as published (the verifying keys relying parties need): they sign nothing.
const STILL_ANSWERED = ['jwks'] as const;
// Endpoints a person's browser reaches: they get a page in the person's language.
const PAGES = ['authorization', 'end_session', 'code_verification'] as const;

/**
 * While this node could not load the signing keys the database names (`keyProblem`), it must not sign on
 * with the keys it had: every provider endpoint but discovery and JWKS answers 503 with Retry-After, like a
 * database that is down: a page in the person's language from the browser endpoints (the authorization
 * endpoint's error is `temporarily_unavailable`, RFC 6749 §4.1.2.1), `server_error` JSON from the others.
 * Returns true when it answered; the node serves again by itself once its keys load.
 */
export function refusedWithoutKeys(
  ctx: Context,
  provider: Provider,
  keyProblem: string | undefined,
  render: Renderer,
): boolean {
  if (!keyProblem) return false;
  const path = ctx.path.replace(/\/$/, '') || '/';
  const pathOf = (route: string) => routePath(provider, route);
  // Discovery has two addresses (OpenID and OAuth metadata) under /.well-known/.
  if (path.startsWith('/.well-known/') || STILL_ANSWERED.some((route) => path === pathOf(route)))
    return false;
  ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  const page = PAGES.find((route) => {
    const at = pathOf(route);
    return at !== undefined && (path === at || path.startsWith(`${at}/`));
  });
  if (page) {
    const locale = (ctx.state as PageState).locale ?? 'ar';
    const oauthError = page === 'authorization' ? 'temporarily_unavailable' : undefined;
    render(ctx, 'error', { message: pageText(locale, 'service_unavailable'), oauthError }, 503);
    return true;
  }
  ctx.status = 503;
  ctx.body = SIGNING_UNAVAILABLE;
  return true;
}
