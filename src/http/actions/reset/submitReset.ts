import type { Middleware } from 'koa';
import type { PasswordReset } from '../../../accounts/passwordReset/index.js';
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
    const started = await deps.passwordReset.start({
      ...resetValues(ctx),
      locale: localeOf(ctx),
      returnTo: interactionReturn(field(ctx, 'interaction', 64)),
      meta: metaOf(ctx),
    });
    deps.resetCookie.set(ctx, started.handle);
    seeOther(ctx, '/reset/code');
  };
}
