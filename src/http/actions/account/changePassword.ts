import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { FlowExpired, HawiyaError, InvalidInput } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { currentAccountSession } from './currentAccountSession.js';
import { renderAccount } from './showAccount.js';

/** POST /account/password: the current password and a new one. */
export function changePassword(deps: IdpDeps): Middleware {
  return async function changePassword(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    const locale = localeOf(ctx);
    try {
      await deps.accounts.changePassword({
        accountId: session.accountId,
        current: field(ctx, 'current'),
        password: field(ctx, 'password'),
        locale,
        meta: metaOf(ctx),
      });
      seeOther(ctx, '/account?changed=1');
    } catch (err) {
      if (!(err instanceof HawiyaError)) throw err;
      if (err.status === 429 && typeof err.params.seconds === 'number')
        ctx.set('Retry-After', String(err.params.seconds));
      const message = translate(locale, err.code as 'password_common', err.params);
      await renderAccount(deps, ctx, session.accountId, {
        errors: [{ field: err instanceof InvalidInput ? err.field : undefined, message }],
        status: err.status,
      });
    }
  };
}
