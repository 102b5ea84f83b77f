import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { clientDisplay } from './clientDisplay.js';
import { interactionOf } from './loginTransaction.js';

/** POST /interaction/:uid/login: the password, then a code by SMS to the registry's mobile. */
export function submitPassword(deps: IdpDeps): Middleware {
  return async function submitPassword(ctx) {
    const details = await interactionOf(deps, ctx, 'login');
    const locale = localeOf(ctx);
    const identifier = field(ctx, 'identifier', 200);
    const client = await clientDisplay(deps.provider(), details.params, locale);
    try {
      await deps.accounts.login.submitPassword({
        uid: details.uid,
        identifier,
        password: field(ctx, 'password'),
        required: client.requiredAcr,
        locale,
        meta: metaOf(ctx),
      });
      seeOther(ctx, `/interaction/${details.uid}/otp`);
    } catch (err) {
      if (!(err instanceof HawiyaError)) throw err;
      const message = translate(locale, err.code as 'bad_credentials', err.params);
      if (err.status === 429 && typeof err.params.seconds === 'number')
        ctx.set('Retry-After', String(err.params.seconds));
      deps.render(
        ctx,
        'login',
        {
          title: translate(locale, 'login.title'),
          uid: details.uid,
          clientName: client.name,
          identifier,
          errors: [{ field: 'identifier', message }],
        },
        err.status,
      );
    }
  };
}
