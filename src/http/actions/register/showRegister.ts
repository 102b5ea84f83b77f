import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import type { IdpDeps } from '../../deps.js';
import { localeOf } from '../../requestContext.js';

/** GET /register */
export function showRegister(deps: IdpDeps): Middleware {
  return async function showRegister(ctx) {
    const interaction = typeof ctx.query.interaction === 'string' ? ctx.query.interaction.slice(0, 64) : '';
    deps.render(ctx, 'register', {
      title: translate(localeOf(ctx), 'register.title'),
      interaction,
      values: {},
    });
  };
}
