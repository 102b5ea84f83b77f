import type { Middleware } from 'koa';
import { type InfoPageName, pageText } from '../../../i18n/messages.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';

/** GET /help, /privacy, /accessibility, /contact: short bilingual pages the footer links to. */
export function showInfoPage(deps: { render: Renderer; page: InfoPageName }): Middleware {
  return async function showInfoPage(ctx) {
    const locale = localeOf(ctx);
    deps.render(ctx, 'info', {
      title: pageText(locale, `info.${deps.page}.title`),
      paragraphs: pageText(locale, `info.${deps.page}.body`).split('\n\n'),
    });
  };
}
