import type { Middleware } from 'koa';
import type { RpCookies } from '../rpCookies.js';

/** How long a picked language is remembered (a year). */
export const LANG_COOKIE_MS = 365 * 86_400_000;

/** ?lang=ar|en picks the language and remembers it; Arabic by default. */
export function locale(cookies: RpCookies): Middleware {
  return async function locale(ctx, next) {
    const asked = ctx.query.lang;
    if (asked === 'ar' || asked === 'en') {
      ctx.cookies.set(cookies.names.lang, asked, cookies.options(LANG_COOKIE_MS));
      ctx.state.locale = asked;
    } else {
      ctx.state.locale = ctx.cookies.get(cookies.names.lang) === 'en' ? 'en' : 'ar';
    }
    await next();
  };
}
