import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { HawiyaError, InvalidInput } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, interactionReturn, localeOf, metaOf, seeOther } from '../../requestContext.js';

/** POST /register: checks the details against the registry and sends the activation code. */
export function submitRegister(deps: IdpDeps): Middleware {
  return async function submitRegister(ctx) {
    const locale = localeOf(ctx);
    const values = {
      nationalId: field(ctx, 'nationalId', 40),
      birthDate: field(ctx, 'birthDate', 20),
      username: field(ctx, 'username', 100),
      email: field(ctx, 'email', 300),
    };
    const interaction = field(ctx, 'interaction', 64);
    try {
      const started = await deps.accounts.registration.start({
        ...values,
        password: field(ctx, 'password'),
        locale,
        returnTo: interactionReturn(interaction),
        meta: metaOf(ctx),
      });
      deps.registerCookie.set(ctx, started.handle);
      seeOther(ctx, '/register/activate');
    } catch (err) {
      if (!(err instanceof HawiyaError)) throw err;
      if (err.status === 429 && typeof err.params.seconds === 'number')
        ctx.set('Retry-After', String(err.params.seconds));
      const fieldName = err instanceof InvalidInput ? err.field : undefined;
      deps.render(
        ctx,
        'register',
        {
          title: translate(locale, 'register.title'),
          interaction,
          values,
          errors: [
            { field: fieldName, message: translate(locale, err.code as 'registration_mismatch', err.params) },
          ],
        },
        err.status,
      );
    }
  };
}
