import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { parseCode } from '../../../otp/index.js';
import { normalizeDigits } from '../../../registry/index.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { renderActivate } from './showActivate.js';

/** POST /register/activate: the code from the registry's mobile makes the account. */
export function submitActivate(deps: IdpDeps): Middleware {
  return async function submitActivate(ctx) {
    const locale = localeOf(ctx);
    // 6 digits, or a long code (16 letters and digits) while the ID's short codes are blocked
    const code = parseCode(normalizeDigits(field(ctx, 'code', 40)));
    try {
      if (!code) throw new HawiyaError('code_format_any', 400);
      const { returnTo } = await deps.accounts.registration.activate({
        handle: deps.registerCookie.get(ctx),
        code,
        meta: metaOf(ctx),
      });
      deps.registerCookie.clear(ctx);
      const uid = returnTo?.slice('/interaction/'.length);
      seeOther(ctx, uid ? `/register/done?interaction=${uid}` : '/register/done');
    } catch (err) {
      if (!(err instanceof HawiyaError) || err.code === 'flow_expired') throw err;
      await renderActivate(
        deps,
        ctx,
        { errors: [{ field: 'code', message: translate(locale, err.code as 'code_invalid', err.params) }] },
        err.status,
      );
    }
  };
}
