import type { Middleware } from 'koa';
import { pageText } from '../../../i18n/messages.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf } from '../../requestContext.js';

/** GET / */
export function showHome(deps: IdpDeps): Middleware {
  return async function showHome(ctx) {
    const locale = localeOf(ctx);
    deps.render(ctx, 'home', {
      title: pageText(locale, 'home.title'),
      services: deps.links.map((s) => ({ name: s.name[locale], url: s.url })),
      showOutbox: Boolean(deps.outbox),
    });
  };
}
