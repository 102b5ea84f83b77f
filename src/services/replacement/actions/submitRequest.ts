import type { Middleware } from 'koa';
import { checkFormCsrf } from '../../shared/formCsrf.js';
import { pageRequester } from '../pageRequester.js';
import { requestReplacement } from '../personRequests.js';
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
    const request = await requestReplacement(deps, requester, body.lossReport);
    ctx.status = 303;
    ctx.redirect(`/requests/${request.reference}/book`);
  };
}
