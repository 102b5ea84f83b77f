import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { requesterOf } from '../../pageRequester.js';
import { type ReplacementDeps, SCOPE } from '../../replacementDeps.js';
import { requestJson } from '../../requestJson.js';

/** GET /api/requests/:reference: one of the caller's requests (another person's is not found). */
export function getRequest(deps: ReplacementDeps): Middleware {
  return apiHandler(deps, SCOPE, async (ctx, caller) => {
    const r = await deps.replacements.own(requesterOf(caller), String(ctx.params.reference));
    ctx.body = requestJson(r, await deps.replacements.appointmentOf(r.reference));
  });
}
