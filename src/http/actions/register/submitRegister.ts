import type { Middleware } from 'koa';
import type { Registration } from '../../../accounts/registration/index.js';
import { birthDateInput } from '../../birthDateInput.js';
import {
  type FlowCookie,
  field,
  interactionReturn,
  localeOf,
  metaOf,
  seeOther,
} from '../../requestContext.js';
import { registerValues } from './showRegister.js';

/** POST /register: checks the details against the registry and sends the activation code. */
export function submitRegister(deps: { registration: Registration; registerCookie: FlowCookie }): Middleware {
  return async function submitRegister(ctx) {
    const { birthCalendar, ...values } = registerValues(ctx);
    const started = await deps.registration.start({
      ...values,
      birthDate: birthDateInput(values.birthDate, birthCalendar),
      password: field(ctx, 'password'),
      locale: localeOf(ctx),
      returnTo: interactionReturn(field(ctx, 'interaction', 64)),
      meta: metaOf(ctx),
    });
    deps.registerCookie.set(ctx, started.handle);
    seeOther(ctx, '/register/activate');
  };
}
