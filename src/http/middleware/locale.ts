import type { Context, Middleware } from 'koa';
import { pickLocale } from '../../i18n/messages.js';

const COOKIE = 'hawiya.lang';

/** Remembers a language the person picked (a year) and uses it for this request; false if none was picked. */
export function switchLanguage(ctx: Context, asked: unknown): boolean {
  if (asked !== 'ar' && asked !== 'en') return false;
  ctx.cookies.set(COOKIE, asked, {
    httpOnly: true,
    sameSite: 'lax',
    maxAge: 365 * 86400_000,
    overwrite: true,
  });
  ctx.state.locale = asked;
  ctx.state.explicitLocale = true;
  return true;
}

/** ?lang= (remembered in a cookie), then the cookie, then Accept-Language; Arabic by default. */
export function locale(): Middleware {
  return async function locale(ctx, next) {
    const asked = typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined;
    switchLanguage(ctx, asked);
    ctx.state.locale = pickLocale([asked, ctx.cookies.get(COOKIE), ctx.get('Accept-Language')]);
    ctx.state.explicitLocale = Boolean(asked || ctx.cookies.get(COOKIE));
    await next();
  };
}
