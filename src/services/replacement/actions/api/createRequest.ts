import type { Middleware } from 'koa';
import { createJsonBodyReader } from '../../../../shared/jsonBody.js';
import { apiHandler } from '../../../shared/apiHandler.js';
import { requesterOf } from '../../pageRequester.js';
import { requestReplacement } from '../../personRequests.js';
import { type ReplacementDeps, SCOPE } from '../../replacementDeps.js';
import { requestJson } from '../../requestJson.js';

/** POST /api/requests {loss_report}: a request for one of the caller's active loss reports (201). */
export function createRequest(deps: ReplacementDeps): Middleware {
  const readBody = createJsonBodyReader({ limit: '1kb' });
  return apiHandler(deps, SCOPE, async (ctx, caller) => {
    const body = await readBody(ctx);
    const request = await requestReplacement(deps, requesterOf(caller), body.loss_report);
    ctx.status = 201;
    ctx.set('Location', `/api/requests/${request.reference}`);
    ctx.body = requestJson(request, undefined);
  });
}
