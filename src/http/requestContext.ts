import type { Context } from 'koa';
import type { RequestMeta } from '../accounts/requestMeta.js';
import type { Locale } from '../i18n/messages.js';

export function metaOf(ctx: Context): RequestMeta {
  return { ip: ctx.ip, userAgent: ctx.get('User-Agent'), requestId: ctx.state.requestId as string };
}

export function localeOf(ctx: Context): Locale {
  return (ctx.state.locale as Locale) ?? 'ar';
}

/** A form field as a string; anything else (missing, repeated, oversized) reads as empty. */
export function field(ctx: Context, name: string, max = 1024): string {
  const v = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v.length <= max ? v : '';
}

/** Only an interaction of ours may be returned to after registration or reset: never an open redirect. */
export function interactionReturn(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{10,64}$/.test(value) ? `/interaction/${value}` : null;
}

export function seeOther(ctx: Context, url: string): void {
  ctx.redirect(url);
  ctx.status = 303;
}

export interface FlowCookie {
  get(ctx: Context): string | undefined;
  set(ctx: Context, handle: string): void;
  clear(ctx: Context): void;
}

/** The handle of a registration or reset journey: HttpOnly, SameSite, Secure (and __Host-) over https. */
export function flowCookie(name: string, secure: boolean): FlowCookie {
  const full = secure ? `__Host-${name}` : name;
  return {
    get: (ctx) => ctx.cookies.get(full),
    set: (ctx, handle) =>
      ctx.cookies.set(full, handle, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        overwrite: true,
        maxAge: 3600_000,
      }),
    clear: (ctx) =>
      ctx.cookies.set(full, null, { httpOnly: true, sameSite: 'lax', secure, path: '/', overwrite: true }),
  };
}
