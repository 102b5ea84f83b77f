import type { Context, Middleware } from 'koa';
import { pageText } from '../../../i18n/messages.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { field, localeOf } from '../../requestContext.js';

/** What the reset form keeps of a submission. */
export function resetValues(ctx: Context) {
  return {
    nationalId: field(ctx, 'nationalId', 40),
    birthDate: field(ctx, 'birthDate', 20),
    birthCalendar: field(ctx, 'birthCalendar', 10),
  };
}

/** The reset form shown again with what was typed. */
export function resetPage(deps: { render: Renderer }): FormPage {
  return function resetPage(ctx, shown, status = 200) {
    deps.render(
      ctx,
      'reset',
      {
        title: pageText(localeOf(ctx), 'reset.title'),
        interaction: field(ctx, 'interaction', 64),
        values: resetValues(ctx),
        ...shown,
      },
      status,
    );
  };
}

/** GET /reset */
export function showReset(deps: { render: Renderer }): Middleware {
  return async function showReset(ctx) {
    const interaction = typeof ctx.query.interaction === 'string' ? ctx.query.interaction.slice(0, 64) : '';
    deps.render(ctx, 'reset', { title: pageText(localeOf(ctx), 'reset.title'), interaction, values: {} });
  };
}
