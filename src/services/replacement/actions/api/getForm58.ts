import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { requesterOf } from '../../pageRequester.js';
import { form58Of } from '../../personRequests.js';
import { type ReplacementDeps, SCOPE } from '../../replacementDeps.js';

/** GET /api/requests/:reference/form58.pdf: the request's Form 58, as its page offers it. */
export function getForm58(deps: ReplacementDeps): Middleware {
  return apiHandler(deps, SCOPE, async (ctx, caller) => {
    const { reference, pdf } = await form58Of(deps, requesterOf(caller), String(ctx.params.reference));
    ctx.body = pdf;
    ctx.type = 'application/pdf';
    ctx.set('Content-Disposition', `attachment; filename="form-58-${reference}.pdf"`);
  });
}
