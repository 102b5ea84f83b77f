import { join } from 'node:path';
import { Eta } from 'eta';
import type { Context } from 'koa';
import { type Locale, type MessageKey, translate } from '../i18n/messages.js';
import { projectRoot } from '../shared/projectRoot.js';

export const VIEWS_DIR = join(projectRoot(import.meta.url), 'views');

export interface PageState {
  locale: Locale;
  csrf: string;
  requestId: string;
}

export type Renderer = (ctx: Context, view: string, data?: Record<string, unknown>, status?: number) => void;

/** Server-rendered pages; Eta escapes every value unless a template asks for raw output. */
export function createRenderer(opts: { cache: boolean }): Renderer {
  const eta = new Eta({ views: VIEWS_DIR, autoEscape: true, cache: opts.cache, useWith: false });
  return (ctx, view, data = {}, status = 200) => {
    const state = ctx.state as PageState;
    const locale = state.locale ?? 'ar';
    const other: Locale = locale === 'ar' ? 'en' : 'ar';
    const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
    const langUrl = new URL(ctx.originalUrl, 'http://x');
    langUrl.searchParams.set('lang', other);
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = eta.render(`./${view}`, {
      title: t('app.name'),
      ...data,
      t,
      locale,
      dir: locale === 'ar' ? 'rtl' : 'ltr',
      otherLocale: other,
      langHref: ctx.method === 'GET' ? `${langUrl.pathname}${langUrl.search}` : `${ctx.path}?lang=${other}`,
      csrf: state.csrf,
    });
  };
}
