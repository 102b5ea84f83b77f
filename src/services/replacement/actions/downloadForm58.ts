import type { Middleware } from 'koa';
import { pageRequester } from '../pageRequester.js';
import { form58Of } from '../personRequests.js';
import type { ReplacementDeps } from '../replacementDeps.js';

/** GET /requests/:reference/form58.pdf: Form 58 prefilled with the person's and the document's data. */
export function downloadForm58(deps: ReplacementDeps): Middleware {
  return async function downloadForm58(ctx) {
    const requester = await pageRequester(deps, ctx);
    if (!requester) return;
    const { reference, pdf } = await form58Of(deps, requester, String(ctx.params.reference));
    ctx.body = pdf;
    ctx.type = 'application/pdf';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="form-58-${reference}.pdf"`);
  };
}
