import type { Middleware } from 'koa';
import { ReplacementRefused } from '../../../replacements/replacementErrors.js';
import { localDateOf } from '../../../replacements/riyadhCalendar.js';
import { checkFormCsrf } from '../../shared/formCsrf.js';
import { pageRequester } from '../pageRequester.js';
import { bookAppointment } from '../personRequests.js';
import type { ReplacementDeps } from '../replacementDeps.js';
import { renderBooking } from './showBooking.js';

/**
 * POST /requests/:reference/book {office, startsAt}: books the time (or moves the booked appointment to
 * it). A refused time (full, past, closed, off the grid) shows the times again with the reason.
 */
export function submitBooking(deps: ReplacementDeps): Middleware {
  return async function submitBooking(ctx) {
    const requester = await pageRequester(deps, ctx);
    if (!requester) return;
    const body = checkFormCsrf(ctx);
    const request = await deps.replacements.own(requester, String(ctx.params.reference));
    const officeId = typeof body.office === 'string' ? body.office : undefined;
    const startsAt =
      typeof body.startsAt === 'string' && /^\d{1,15}$/.test(body.startsAt)
        ? Number(body.startsAt)
        : Number.NaN;
    try {
      await bookAppointment(deps, { requester, request, officeId, startsAt });
    } catch (err) {
      if (
        !(err instanceof ReplacementRefused) ||
        err.refusal === 'wrong_state' ||
        err.refusal === 'unknown_request'
      )
        throw err;
      const fresh = (await deps.replacements.repos.requests.find(request.reference)) ?? request;
      const date = Number.isFinite(startsAt) ? localDateOf(startsAt) : undefined;
      return renderBooking(deps, ctx, {
        request: fresh,
        officeId,
        date,
        error: err.code,
        status: err.status,
      });
    }
    ctx.status = 303;
    ctx.redirect(`/requests/${request.reference}?booked=1`);
  };
}
