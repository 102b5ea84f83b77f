import type { Middleware } from 'koa';
import type { PasswordReset } from '../../../accounts/passwordReset/index.js';
import { birthDateInput } from '../../birthDateInput.js';
import {
  type FlowCookie,
  field,
  interactionReturn,
  localeOf,
  metaOf,
  seeOther,
} from '../../requestContext.js';
import { resetValues } from './showReset.js';

/** POST /reset: national ID + birth date; a code goes to the registry's mobile. */
export function submitReset(deps: { passwordReset: PasswordReset; resetCookie: FlowCookie }): Middleware {
  return async function submitReset(ctx) {
    const { birthCalendar, ...values } = resetValues(ctx);
    const started = await deps.passwordReset.start({
      ...values,
      birthDate: birthDateInput(values.birthDate, birthCalendar),
      locale: localeOf(ctx),
      returnTo: interactionReturn(field(ctx, 'interaction', 64)),
      meta: metaOf(ctx),
    });
    deps.resetCookie.set(ctx, started.handle);
    seeOther(ctx, '/reset/code');
  };
}
