import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { requesterOf } from '../../pageRequester.js';
import { type ReplacementDeps, SCOPE } from '../../replacementDeps.js';
import { requestJson } from '../../requestJson.js';

/** POST /api/requests/:reference/cancel: cancels a request not yet attended; its seat is freed. */
export function cancelRequest(deps: ReplacementDeps): Middleware {
  return apiHandler(deps, SCOPE, async (ctx, caller) => {
    const requester = requesterOf(caller);
    const reference = String(ctx.params.reference);
    await deps.replacements.cancel(requester, reference);
    const r = await deps.replacements.own(requester, reference);
    ctx.body = requestJson(r, await deps.replacements.appointmentOf(r.reference));
  });
}
