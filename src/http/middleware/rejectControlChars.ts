import type { Context, Middleware } from 'koa';
import { pageText } from '../../i18n/messages.js';
import { hasControlChars } from '../../shared/controlChars.js';
import type { Logger } from '../../shared/logger.js';
import type { PageState, Renderer } from '../render.js';

// oidc-provider endpoints that machines call: they get an OAuth error as JSON, browsers get a page.
const API_PATHS = ['/token', '/me', '/request', '/jwks', '/api'];

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** client_id and client_secret from `Authorization: Basic`, form-urlencoded as RFC 6749 2.3.1 says. */
function basicCredentials(authorization: string): string[] {
  const m = /^Basic\s+(\S+)$/i.exec(authorization);
  if (!m?.[1]) return [];
  const pair = Buffer.from(m[1], 'base64').toString('utf8');
  return pair.split(':').map((part) => decoded(part.replace(/\+/g, ' ')) ?? part);
}

/**
 * Whether a parameter of a query string holds a control character: every pair, decoded as Koa's ctx.query
 * and oidc-provider read it (URLSearchParams, no limit on the number of pairs; node:querystring stops at
 * 1,000, which let a parameter placed after 1,000 empty ones through).
 */
function hostileQuery(query: string): boolean {
  if (query === '') return false;
  for (const [key, value] of new URLSearchParams(query)) {
    if (hasControlChars(key) || hasControlChars(value)) return true;
  }
  return false;
}

/**
 * Whether a request's path or query string (both as sent, percent-encoded) or its client credentials hold
 * a control character.
 */
export function hostileRequest(parts: { path: string; query: string; authorization: string }): boolean {
  const path = decoded(parts.path);
  return (
    path === undefined ||
    hasControlChars(path) ||
    hostileQuery(parts.query) ||
    basicCredentials(parts.authorization).some(hasControlChars)
  );
}

/** The answer to such a request at an endpoint machines call. */
export const CONTROL_CHARS_REFUSED = {
  error: 'invalid_request',
  error_description: 'parameters must not contain control characters',
} as const;

function hostile(ctx: Context): boolean {
  return hostileRequest({ path: ctx.path, query: ctx.querystring, authorization: ctx.get('Authorization') });
}

/**
 * Refuses a request whose path, query or client credentials hold a control character (NUL above all:
 * PostgreSQL cannot store it and would answer a lookup with an error) before any page or oidc-provider
 * endpoint sees it: a 400 `invalid_request` for the token, introspection, revocation, PAR and userinfo
 * endpoints, a 400 page for browsers. Form bodies are checked by formBody; oidc-provider's own POST
 * bodies reach only lookups that cannot fail this way (hashed ids, the client lookup refuses them).
 */
export function rejectControlChars(render: Renderer): Middleware {
  return async function rejectControlChars(ctx, next) {
    if (!hostile(ctx)) {
      await next();
      return;
    }
    (ctx.state.log as Logger | undefined)?.warn({ path: ctx.path }, 'control character in request refused');
    if (API_PATHS.some((p) => ctx.path === p || ctx.path.startsWith(`${p}/`))) {
      ctx.status = 400;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = CONTROL_CHARS_REFUSED;
      return;
    }
    render(ctx, 'error', { message: pageText((ctx.state as PageState).locale ?? 'ar', 'bad_request') }, 400);
  };
}
