import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { CsrfFailed } from '../../shared/errors.js';

const COOKIE = 'hawiya.csrf';

/**
 * Double-submit token: an HttpOnly SameSite cookie and the same value in each form. A POST from another
 * site lacks the cookie (SameSite) and cannot read the token; Sec-Fetch-Site and Origin are checked too.
 * Over https the cookie is `__Host-` prefixed: browsers then take it only from this host over https, with
 * Path=/ and no Domain, so a sibling subdomain or a plain-http response cannot plant a token of its own.
 */
export function csrf(opts: { secure: boolean; origin: string }): Middleware {
  const name = opts.secure ? `__Host-${COOKIE}` : COOKIE;
  return async function csrf(ctx, next) {
    let token = ctx.cookies.get(name);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString('base64url');
      ctx.cookies.set(name, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secure,
        path: '/',
        overwrite: true,
      });
      ctx.state.csrfFresh = true;
    }
    ctx.state.csrf = token;
    if (ctx.method === 'POST') {
      const site = ctx.get('Sec-Fetch-Site');
      const origin = ctx.get('Origin');
      if (site === 'cross-site' || (origin && origin !== opts.origin)) throw new CsrfFailed();
      const sent = (ctx.request.body as Record<string, unknown> | undefined)?._csrf;
      if (ctx.state.csrfFresh || typeof sent !== 'string' || sent.length !== token.length)
        throw new CsrfFailed();
      if (!timingSafeEqual(Buffer.from(sent), Buffer.from(token))) throw new CsrfFailed();
    }
    await next();
  };
}
