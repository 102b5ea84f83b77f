import type { Middleware } from 'koa';
import { pageText } from '../../../i18n/messages.js';
import type { Renderer } from '../../render.js';
import { interactionReturn, localeOf } from '../../requestContext.js';

/** GET /register/done: the account is active; back to the sign-in that sent the person here, if any. */
export function showRegistered(deps: { render: Renderer }): Middleware {
  return async function showRegistered(ctx) {
    const locale = localeOf(ctx);
    const returnTo = interactionReturn(ctx.query.interaction);
    deps.render(ctx, 'message', {
      title: pageText(locale, 'activate.done'),
      text: pageText(locale, 'activate.doneText'),
      link: { href: returnTo ?? '/', text: pageText(locale, returnTo ? 'activate.continue' : 'error.back') },
    });
  };
}
