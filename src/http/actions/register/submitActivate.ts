import type { Middleware } from 'koa';
import type { Registration } from '../../../accounts/registration/index.js';
import { parseCode } from '../../../otp/index.js';
import { normalizeDigits } from '../../../registry/index.js';
import { HawiyaError } from '../../../shared/errors.js';
import { type FlowCookie, field, metaOf, seeOther } from '../../requestContext.js';

/** POST /register/activate: the code from the registry's mobile makes the account. */
export function submitActivate(deps: { registration: Registration; registerCookie: FlowCookie }): Middleware {
  return async function submitActivate(ctx) {
    // 6 digits, or a long code (16 letters and digits) while the ID's short codes are blocked
    const code = parseCode(normalizeDigits(field(ctx, 'code', 40)));
    if (!code) throw new HawiyaError('code_format_any', 400);
    const { returnTo } = await deps.registration.activate({
      handle: deps.registerCookie.get(ctx),
      code,
      meta: metaOf(ctx),
    });
    deps.registerCookie.clear(ctx);
    const uid = returnTo?.slice('/interaction/'.length);
    seeOther(ctx, uid ? `/register/done?interaction=${uid}` : '/register/done');
  };
}
