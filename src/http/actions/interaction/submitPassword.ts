import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { ACR, acrRank } from '../../../oidc/acr.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { clientDisplay } from './clientDisplay.js';
import { interactionOf, LOGIN_TX_SECONDS, type LoginTransaction } from './loginTransaction.js';

/** POST /interaction/:uid/login: the password, then a code by SMS to the registry's mobile. */
export function submitPassword(deps: IdpDeps): Middleware {
  return async function submitPassword(ctx) {
    const details = await interactionOf(deps, ctx, 'login');
    const locale = localeOf(ctx);
    const identifier = field(ctx, 'identifier', 200);
    const client = await clientDisplay(deps.provider(), details.params, locale);
    try {
      const { account, person } = await deps.accounts.checkPassword({
        identifier,
        password: field(ctx, 'password'),
        meta: metaOf(ctx),
      });
      const sent = await deps.accounts.sendLoginCode({
        accountId: account.id,
        tx: details.uid,
        channel: 'sms',
        locale,
        meta: metaOf(ctx),
      });
      const tx: LoginTransaction = {
        accountId: account.id,
        factors: ['pwd'],
        channel: 'sms',
        maskedTo: sent.maskedTo,
        hasEmail:
          (account.email ?? person.email) !== null && acrRank(client.requiredAcr) <= acrRank(ACR.basic),
      };
      await deps.flows.save('login', details.uid, tx, LOGIN_TX_SECONDS);
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
