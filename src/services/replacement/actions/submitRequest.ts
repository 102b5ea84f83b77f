import type { Middleware } from 'koa';
import { checkFormCsrf } from '../../shared/formCsrf.js';
import { pageRequester, personReport } from '../pageRequester.js';
import type { ReplacementDeps } from '../replacementDeps.js';

/**
 * POST /requests {lossReport}: a request for one of the person's reported documents, which the loss-report
 * API must confirm is theirs and active (refused otherwise, recording nothing); then on to booking.
 */
export function submitRequest(deps: ReplacementDeps): Middleware {
  return async function submitRequest(ctx) {
    const requester = await pageRequester(deps, ctx);
    if (!requester) return;
    const body = checkFormCsrf(ctx);
    const reference = typeof body.lossReport === 'string' ? body.lossReport.slice(0, 40) : '';
    const report = reference ? await personReport(deps, ctx, reference) : undefined;
    const request = await deps.replacements.submit(requester, report);
    ctx.status = 303;
    ctx.redirect(`/requests/${request.reference}/book`);
  };
}
