import type { Middleware } from 'koa';
import { pageText } from '../../../i18n/messages.js';
import type { Renderer } from '../../render.js';
import { interactionReturn, localeOf } from '../../requestContext.js';

/** GET /reset/done */
export function showResetDone(deps: { render: Renderer }): Middleware {
  return async function showResetDone(ctx) {
    const locale = localeOf(ctx);
    const returnTo = interactionReturn(ctx.query.interaction);
    deps.render(ctx, 'message', {
      title: pageText(locale, 'reset.done'),
      text: pageText(locale, 'reset.doneText'),
      link: { href: returnTo ?? '/', text: pageText(locale, returnTo ? 'activate.continue' : 'error.back') },
    });
  };
}
