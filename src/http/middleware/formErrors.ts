import type { Context, Middleware } from 'koa';
import { type MessageKey, pageText } from '../../i18n/messages.js';
import { HawiyaError, InvalidInput, InvalidInputs } from '../../shared/errors.js';
import { localeOf } from '../requestContext.js';
import { switchLanguage } from './locale.js';

export interface FormProblem {
  /** the field the message points to (an `#id` on the page) */
  field?: string;
  message: string;
}

/** What a form page shows besides the form itself. */
export interface FormShown {
  errors?: FormProblem[];
  notice?: string;
  /** seconds the person must wait (a countdown is shown) */
  wait?: number;
  /** the code can no longer succeed (code_void): the page offers a new code or a fresh start, not the form */
  voided?: boolean;
}

/**
 * A form page: shown with problems (and the status) when a submission is refused, or with a notice. It
 * refills what the person typed from the request itself, never a password.
 */
export type FormPage = (ctx: Context, shown: FormShown, status?: number) => Promise<void> | void;

function problemOf(ctx: Context, err: HawiyaError, field: string | undefined): FormProblem {
  const message = pageText(localeOf(ctx), err.code as MessageKey, err.params);
  return { field: field ?? (err instanceof InvalidInput ? err.field : undefined), message };
}

/**
 * The one place a refused form submission becomes a response: a domain error (wrong password or code,
 * throttled, rules of the form) re-shows the form with every problem in the person's language, the error's
 * status, and `Retry-After` plus a countdown when the person is held back. The action behind it only parses,
 * calls the domain and redirects. A journey that has ended (flow_expired) and anything unknown go on to
 * the error page (middleware/errors.ts).
 *
 * A submission that only asks for the other language (`_lang`, sent by the language link's script) shows the
 * same form again in that language with what was typed, and does nothing else.
 *
 * `field`: the field every problem of this form points to; else each InvalidInput's own field.
 */
export function formErrors(page: FormPage, opts: { field?: string } = {}): Middleware {
  return async function formErrors(ctx, next) {
    if (switchLanguage(ctx, (ctx.request?.body as Record<string, unknown> | undefined)?._lang)) {
      await page(ctx, {});
      return;
    }
    try {
      await next();
    } catch (err) {
      if (!(err instanceof HawiyaError) || err.code === 'flow_expired') throw err;
      const seconds = err.params.seconds;
      const wait = err.status === 429 && typeof seconds === 'number' && seconds > 0 ? seconds : undefined;
      if (wait) ctx.set('Retry-After', String(wait));
      const voided = err.code === 'code_void';
      // a voided code's page has no code field: its message links nowhere
      const field = voided ? undefined : opts.field;
      const errors =
        err instanceof InvalidInputs
          ? err.problems.map((p) => problemOf(ctx, p, field))
          : [problemOf(ctx, err, field)];
      await page(ctx, { errors, ...(wait ? { wait } : {}), ...(voided ? { voided: true } : {}) }, err.status);
    }
  };
}
