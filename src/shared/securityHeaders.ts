import type { Middleware } from 'koa';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Strict headers for every response of the IdP and of the services: no framing, no inline script, no
 * sniffing, HSTS over https. Pages render on the server and need no inline code.
 */
export function securityHeaderList(opts: { https: boolean }): ReadonlyArray<readonly [string, string]> {
  return [
    ['Content-Security-Policy', CSP],
    ['X-Frame-Options', 'DENY'],
    ['X-Content-Type-Options', 'nosniff'],
    // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on our own form posts.
    ['Referrer-Policy', 'same-origin'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
    ...(opts.https ? [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as const] : []),
  ];
}

/** The security headers on every response of an app. */
export function securityHeaders(opts: { https: boolean }): Middleware {
  const headers = securityHeaderList(opts);
  return async function securityHeaders(ctx, next) {
    for (const [name, value] of headers) ctx.set(name, value);
    await next();
  };
}
