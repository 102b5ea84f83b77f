import type { Middleware } from 'koa';
import { createJsonBodyReader } from '../../../../shared/jsonBody.js';
import { apiHandler } from '../../../shared/apiHandler.js';
import { requesterOf } from '../../pageRequester.js';
import { bookAppointment } from '../../personRequests.js';
import { type ReplacementDeps, SCOPE } from '../../replacementDeps.js';
import { requestJson } from '../../requestJson.js';

/**
 * PUT /api/requests/:reference/appointment {office, starts_at}: books the time, or moves the booked
 * appointment to it (the old one stands when the new time is refused). `starts_at` is one of the slots'.
 */
export function bookRequestAppointment(deps: ReplacementDeps): Middleware {
  const readBody = createJsonBodyReader({ limit: '1kb' });
  return apiHandler(deps, SCOPE, async (ctx, caller) => {
    const body = await readBody(ctx);
    const requester = requesterOf(caller);
    const request = await deps.replacements.own(requester, String(ctx.params.reference));
    const startsAt = typeof body.starts_at === 'string' ? Date.parse(body.starts_at) : Number.NaN;
    await bookAppointment(deps, { requester, request, officeId: body.office, startsAt });
    const r = await deps.replacements.own(requester, request.reference);
    ctx.body = requestJson(r, await deps.replacements.appointmentOf(r.reference));
  });
}
