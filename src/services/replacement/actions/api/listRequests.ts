import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { requesterOf } from '../../pageRequester.js';
import { type ReplacementDeps, SCOPE } from '../../replacementDeps.js';
import { requestJson } from '../../requestJson.js';

/** GET /api/requests: the caller's requests, newest first. */
export function listRequests(deps: ReplacementDeps): Middleware {
  return apiHandler(deps, SCOPE, async (ctx, caller) => {
    const requests = await deps.replacements.list(requesterOf(caller));
    ctx.body = {
      requests: await Promise.all(
        requests.map(async (r) => requestJson(r, await deps.replacements.appointmentOf(r.reference))),
      ),
    };
  });
}
