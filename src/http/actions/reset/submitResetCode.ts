import type { Middleware } from 'koa';
import type { PasswordReset } from '../../../accounts/passwordReset/index.js';
import { parseCode } from '../../../otp/index.js';
import { normalizeDigits } from '../../../registry/index.js';
import { HawiyaError } from '../../../shared/errors.js';
import { type FlowCookie, field, metaOf, seeOther } from '../../requestContext.js';

/** POST /reset/code */
export function submitResetCode(deps: { passwordReset: PasswordReset; resetCookie: FlowCookie }): Middleware {
  return async function submitResetCode(ctx) {
    // 6 digits, or a long code (16 letters and digits) while the ID's short codes are blocked
    const code = parseCode(normalizeDigits(field(ctx, 'code', 40)));
    if (!code) throw new HawiyaError('code_format_any', 400);
    await deps.passwordReset.verify({ handle: deps.resetCookie.get(ctx), code, meta: metaOf(ctx) });
    seeOther(ctx, '/reset/password');
  };
}
