import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf } from '../../requestContext.js';

/** GET /reset */
export function showReset(deps: IdpDeps): Middleware {
  return async function showReset(ctx) {
    const interaction = typeof ctx.query.interaction === 'string' ? ctx.query.interaction.slice(0, 64) : '';
    deps.render(ctx, 'reset', { title: translate(localeOf(ctx), 'reset.title'), interaction, values: {} });
  };
}
