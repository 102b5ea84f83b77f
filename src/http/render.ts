import { join } from 'node:path';
import { Eta } from 'eta';
import type { Context } from 'koa';
import { type Locale, type MessageKey, messageTemplate, pageText } from '../i18n/messages.js';
import { citizenDate, escapeHtml, isolatedHtml, localDigits } from '../shared/localText.js';
import { projectRoot } from '../shared/projectRoot.js';
import type { FormProblem } from './middleware/formErrors.js';

export const VIEWS_DIR = join(projectRoot(import.meta.url), 'views');

export interface PageState {
  locale: Locale;
  csrf: string;
  requestId: string;
}

export type Renderer = (ctx: Context, view: string, data?: Record<string, unknown>, status?: number) => void;

type Params = Record<string, string | number>;

/**
 * What every template gets besides its data: messages as text (`t`, escaped by Eta) or with their values
 * isolated from the sentence (`th`, raw HTML built from escaped parts), the language's digits and dates,
 * and each field's error (its message beside it, `aria-invalid` and `aria-describedby`).
 */
export function pageHelpers(locale: Locale, errors: FormProblem[] = []) {
  const byField = new Map<string, string>();
  for (const e of errors) if (e.field && !byField.has(e.field)) byField.set(e.field, e.message);
  return {
    t: (key: MessageKey, params?: Params) => pageText(locale, key, params),
    th: (key: MessageKey, params?: Params) => isolatedHtml(locale, messageTemplate(locale, key), params),
    digits: (text: string) => localDigits(locale, text),
    date: (value: Date | string) => citizenDate(locale, value),
    hasErrors: errors.length > 0,
    /** raw HTML: the field's message, or nothing */
    fieldError(name: string): string {
      const message = byField.get(name);
      if (!message) return '';
      const label = escapeHtml(pageText(locale, 'form.error'));
      return `<p class="field-error" id="${name}-error"><span class="visually-hidden">${label}</span> ${escapeHtml(message)}</p>`;
    },
    /** raw HTML attributes: what describes the field (its hint, its error) and whether it is invalid */
    fieldAttrs(name: string, hintId?: string): string {
      const ids = [hintId, byField.has(name) ? `${name}-error` : undefined].filter(Boolean).join(' ');
      return `${ids ? `aria-describedby="${ids}"` : ''}${byField.has(name) ? ' aria-invalid="true"' : ''}`;
    },
    /** raw HTML: "time left: 0:42", counted down by hawiya.js, with what to say at zero */
    countdown(seconds: number): string {
      const time = localDigits(
        locale,
        `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
      );
      const text = escapeHtml(pageText(locale, 'wait.countdown', { time: '\uE000' })).replace(
        '\uE000',
        `<bdo dir="ltr" class="countdown-time">${time}</bdo>`,
      );
      const ready = escapeHtml(pageText(locale, 'wait.ready'));
      return `<p class="countdown" role="timer" data-countdown="${seconds}" data-ready="${ready}">${text}</p>`;
    },
    fieldClass: (name: string) => (byField.has(name) ? 'field field-invalid' : 'field'),
  };
}

/** Server-rendered pages; Eta escapes every value unless a template asks for raw output. */
export function createRenderer(opts: { cache: boolean }): Renderer {
  const eta = new Eta({ views: VIEWS_DIR, autoEscape: true, cache: opts.cache, useWith: false });
  return (ctx, view, data = {}, status = 200) => {
    const state = ctx.state as PageState;
    const locale = state.locale ?? 'ar';
    const other: Locale = locale === 'ar' ? 'en' : 'ar';
    const helpers = pageHelpers(locale, (data.errors as FormProblem[] | undefined) ?? []);
    const langUrl = new URL(ctx.originalUrl, 'http://x');
    langUrl.searchParams.set('lang', other);
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = eta.render(`./${view}`, {
      title: helpers.t('app.name'),
      ...data,
      ...helpers,
      locale,
      dir: locale === 'ar' ? 'rtl' : 'ltr',
      otherLocale: other,
      langHref: ctx.method === 'GET' ? `${langUrl.pathname}${langUrl.search}` : `${ctx.path}?lang=${other}`,
      csrf: state.csrf,
    });
  };
}
