import type { Context, Middleware } from 'koa';
import { pageText } from '../../../i18n/messages.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { field, localeOf } from '../../requestContext.js';

/** What the registration form keeps of a submission (not the password). */
export function registerValues(ctx: Context) {
  return {
    nationalId: field(ctx, 'nationalId', 40),
    birthDate: field(ctx, 'birthDate', 20),
    birthCalendar: field(ctx, 'birthCalendar', 10),
    username: field(ctx, 'username', 100),
    email: field(ctx, 'email', 300),
  };
}

/** The registration form shown again with what was typed (never the password). */
export function registerPage(deps: { render: Renderer }): FormPage {
  return function registerPage(ctx, shown, status = 200) {
    deps.render(
      ctx,
      'register',
      {
        title: pageText(localeOf(ctx), 'register.title'),
        interaction: field(ctx, 'interaction', 64),
        values: registerValues(ctx),
        ...shown,
      },
      status,
    );
  };
}

/** GET /register */
export function showRegister(deps: { render: Renderer }): Middleware {
  return async function showRegister(ctx) {
    const interaction = typeof ctx.query.interaction === 'string' ? ctx.query.interaction.slice(0, 64) : '';
    deps.render(ctx, 'register', {
      title: pageText(localeOf(ctx), 'register.title'),
      interaction,
      values: {},
    });
  };
}
