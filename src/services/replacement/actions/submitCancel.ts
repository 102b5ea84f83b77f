import type { Middleware } from 'koa';
import { checkFormCsrf } from '../../shared/formCsrf.js';
import { pageRequester } from '../pageRequester.js';
import type { ReplacementDeps } from '../replacementDeps.js';

/** POST /requests/:reference/cancel: cancels a request not yet attended and frees its appointment. */
export function submitCancel(deps: ReplacementDeps): Middleware {
  return async function submitCancel(ctx) {
    const requester = await pageRequester(deps, ctx);
    if (!requester) return;
    checkFormCsrf(ctx);
    await deps.replacements.cancel(requester, String(ctx.params.reference));
    ctx.status = 303;
    ctx.redirect(`/requests/${encodeURIComponent(String(ctx.params.reference))}?cancelled=1`);
  };
}
