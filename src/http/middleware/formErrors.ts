import type { Context, Middleware } from 'koa';
import { type MessageKey, translate } from '../../i18n/messages.js';
import { HawiyaError, InvalidInput } from '../../shared/errors.js';
import { localeOf } from '../requestContext.js';

export interface FormProblem {
  /** the field the message points to (an `#id` on the page) */
  field?: string;
  message: string;
}

/**
 * A form page: shown with problems (and the status) when a submission is refused, or with a notice. It
 * refills what the person typed from the request itself, never a password.
 */
export type FormPage = (
  ctx: Context,
  shown: { errors?: FormProblem[]; notice?: string },
  status?: number,
) => Promise<void> | void;

/**
 * The one place a refused form submission becomes a response: a domain error (wrong password or code,
 * throttled, a rule of the form) re-shows the form with the message in the person's language, the error's
 * status, and `Retry-After` when the person is held back. The action behind it only parses, calls the
 * domain and redirects. A journey that has ended (flow_expired) and anything unknown go on to the error
 * page (middleware/errors.ts).
 *
 * `field`: the field every problem of this form points to; else an InvalidInput's own field.
 */
export function formErrors(page: FormPage, opts: { field?: string } = {}): Middleware {
  return async function formErrors(ctx, next) {
    try {
      await next();
    } catch (err) {
      if (!(err instanceof HawiyaError) || err.code === 'flow_expired') throw err;
      const seconds = err.params.seconds;
      if (err.status === 429 && typeof seconds === 'number' && seconds > 0)
        ctx.set('Retry-After', String(seconds));
      const field = opts.field ?? (err instanceof InvalidInput ? err.field : undefined);
      const message = translate(localeOf(ctx), err.code as MessageKey, err.params);
      await page(ctx, { errors: [{ field, message }] }, err.status);
    }
  };
}
