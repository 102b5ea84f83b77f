import type { Middleware } from 'koa';
import { pageText } from '../../../i18n/messages.js';
import type { DevOutbox } from '../../../notify/index.js';
import type { Renderer } from '../../render.js';
import { localeOf } from '../../requestContext.js';

/** GET /dev/outbox: development only (the route does not exist otherwise). */
export function showOutbox(deps: { outbox: DevOutbox; render: Renderer }): Middleware {
  return async function showOutbox(ctx) {
    const messages = await deps.outbox.list(50);
    deps.render(ctx, 'outbox', { title: pageText(localeOf(ctx), 'outbox.title'), messages });
  };
}
