import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf } from '../../requestContext.js';

/** GET / */
export function showHome(deps: IdpDeps): Middleware {
  return async function showHome(ctx) {
    deps.render(ctx, 'home', {
      title: translate(localeOf(ctx), 'home.title'),
      lossReportUrl: deps.links.lossReportUrl,
      replacementUrl: deps.links.replacementUrl,
      showOutbox: Boolean(deps.outbox),
    });
  };
}
