import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import { parseCode } from '../../../otp/index.js';
import { normalizeDigits } from '../../../registry/index.js';
import { HawiyaError } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, localeOf, metaOf, seeOther } from '../../requestContext.js';
import { renderResetCode } from './showResetCode.js';

/** POST /reset/code */
export function submitResetCode(deps: IdpDeps): Middleware {
  return async function submitResetCode(ctx) {
    const locale = localeOf(ctx);
    // 6 digits, or a long code (16 letters and digits) while the ID's short codes are blocked
    const code = parseCode(normalizeDigits(field(ctx, 'code', 40)));
    try {
      if (!code) throw new HawiyaError('code_format_any', 400);
      await deps.accounts.passwordReset.verify({
        handle: deps.resetCookie.get(ctx),
        code,
        meta: metaOf(ctx),
      });
      seeOther(ctx, '/reset/password');
    } catch (err) {
      if (!(err instanceof HawiyaError) || err.code === 'flow_expired') throw err;
      await renderResetCode(
        deps,
        ctx,
        { errors: [{ field: 'code', message: translate(locale, err.code as 'code_invalid', err.params) }] },
        err.status,
      );
    }
  };
}
