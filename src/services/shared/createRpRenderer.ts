import { join } from 'node:path';
import { Eta } from 'eta';
import type { Context } from 'koa';
import { citizenDate, localDigits } from '../../shared/localText.js';
import { projectRoot } from '../../shared/projectRoot.js';
import { type RpLocale, type RpMessageKey, rpTranslate } from './rpMessages.js';

/** The `state` of RP-initiated logout: back home with it, the page says the person has signed out. */
export const SIGNED_OUT_STATE = 'signed-out';

/** `?signin=cancelled`: back home from a sign-in the person cancelled at Hawiya; the page says so. */
export const SIGN_IN_CANCELLED = 'cancelled';

export const RP_VIEWS_DIR = join(projectRoot(import.meta.url), 'views', 'services');

export type RpRenderer = (
  ctx: Context,
  page: { view: string; data?: Record<string, unknown>; status?: number },
) => void;

/**
 * Server-rendered service pages; Eta escapes every value. `ctx.state.locale` picks the language. Views are
 * named from views/services/: `error` is shared, `loss-report/home` belongs to one service.
 */
export function createRpRenderer(opts: {
  cache: boolean;
  /** the service's name and one-line description in both languages */
  service: { name: Record<RpLocale, string>; description: Record<RpLocale, string> };
  /** Hawiya's public URL: the footer's help, privacy, accessibility and contact pages live there */
  issuer: string;
}): RpRenderer {
  const eta = new Eta({ views: RP_VIEWS_DIR, autoEscape: true, cache: opts.cache, useWith: false });
  return (ctx, { view, data = {}, status = 200 }) => {
    const locale: RpLocale = ctx.state.locale === 'en' ? 'en' : 'ar';
    const other: RpLocale = locale === 'ar' ? 'en' : 'ar';
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = eta.render(`./${view}`, {
      ...data,
      t: (key: RpMessageKey, params?: Record<string, string>) =>
        localDigits(locale, rpTranslate(locale, key, params)),
      tOther: (key: RpMessageKey, params?: Record<string, string>) =>
        localDigits(other, rpTranslate(other, key, params)),
      digits: (text: string) => localDigits(locale, text),
      date: (value: Date | string) => citizenDate(locale, value),
      hawiyaUrl: (path: string) => `${opts.issuer}${path}?lang=${locale}`,
      locale,
      otherLocale: other,
      dir: locale === 'ar' ? 'rtl' : 'ltr',
      otherDir: other === 'ar' ? 'rtl' : 'ltr',
      // Always back to the home page: replaying /callback or /login in another language helps no one.
      langHref: `/?lang=${other}`,
      signedOut: ctx.query.state === SIGNED_OUT_STATE && !data.signedIn,
      signInCancelled: ctx.query.signin === SIGN_IN_CANCELLED,
      serviceName: opts.service.name[locale],
      serviceDescription: opts.service.description[locale],
    });
  };
}

/** A renderer whose view names are relative to views/services/<folder>/. */
export function scopedRenderer(render: RpRenderer, folder: string): RpRenderer {
  return (ctx, page) => render(ctx, { ...page, view: `${folder}/${page.view}` });
}
