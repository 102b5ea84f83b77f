import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { HawiyaError, InvalidInput } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, interactionReturn, localeOf, metaOf, seeOther } from '../../requestContext.js';

/** POST /reset: national ID + birth date; a code goes to the registry's mobile. */
export function submitReset(deps: IdpDeps): Middleware {
  return async function submitReset(ctx) {
    const locale = localeOf(ctx);
    const values = { nationalId: field(ctx, 'nationalId', 40), birthDate: field(ctx, 'birthDate', 20) };
    const interaction = field(ctx, 'interaction', 64);
    try {
      const started = await deps.accounts.passwordReset.start({
        ...values,
        locale,
        returnTo: interactionReturn(interaction),
        meta: metaOf(ctx),
      });
      deps.resetCookie.set(ctx, started.handle);
      seeOther(ctx, '/reset/code');
    } catch (err) {
      if (!(err instanceof HawiyaError)) throw err;
      if (err.status === 429 && typeof err.params.seconds === 'number')
        ctx.set('Retry-After', String(err.params.seconds));
      deps.render(
        ctx,
        'reset',
        {
          title: translate(locale, 'reset.title'),
          interaction,
          values,
          errors: [
            {
              field: err instanceof InvalidInput ? err.field : undefined,
              message: translate(locale, err.code as 'registration_mismatch', err.params),
            },
          ],
        },
        err.status,
      );
    }
  };
}
