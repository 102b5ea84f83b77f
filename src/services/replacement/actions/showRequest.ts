import type { Middleware } from 'koa';
import { currentSession } from '../../shared/middleware/loadSession.js';
import { pageRequester } from '../pageRequester.js';
import type { ReplacementDeps } from '../replacementDeps.js';
import { requestView } from '../requestView.js';

/** GET /requests/:reference: the state and dates, the requirements, Form 58, reschedule and cancel. */
export function showRequest(deps: ReplacementDeps): Middleware {
  return async function showRequest(ctx) {
    const requester = await pageRequester(deps, ctx);
    if (!requester) return;
    const request = await deps.replacements.own(requester, String(ctx.params.reference));
    const appointment = await deps.replacements.appointmentOf(request.reference);
    const office = appointment ? await deps.replacements.repos.offices.find(appointment.officeId) : undefined;
    deps.render(ctx, {
      view: 'request',
      data: {
        request: requestView(ctx, request, appointment, office),
        booked: ctx.query.booked === '1',
        cancelled: ctx.query.cancelled === '1',
        csrf: currentSession(ctx)?.session.csrf,
      },
    });
  };
}
