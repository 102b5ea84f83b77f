import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { requesterOf } from '../../pageRequester.js';
import { type ReplacementDeps, SCOPE } from '../../replacementDeps.js';
import { requestJson } from '../../requestJson.js';

/** DELETE /api/requests/:reference/appointment: frees the seat; the request stays, to book again. */
export function cancelRequestAppointment(deps: ReplacementDeps): Middleware {
  return apiHandler(deps, SCOPE, async (ctx, caller) => {
    const requester = requesterOf(caller);
    await deps.replacements.cancelAppointment(requester, String(ctx.params.reference));
    const r = await deps.replacements.own(requester, String(ctx.params.reference));
    ctx.body = requestJson(r, await deps.replacements.appointmentOf(r.reference));
  });
}
