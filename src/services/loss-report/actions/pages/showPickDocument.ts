import type { Middleware } from 'koa';
import { signedInView } from '../../../shared/signedInView.js';
import type { LossReportDeps } from '../../lossReportDeps.js';
import { pageCaller } from '../../pageCaller.js';
import { DOCUMENT_TYPES, isDocumentType } from '../../reportInput.js';

/** GET /reports/new: which document was lost. */
export function showPickDocument(deps: LossReportDeps): Middleware {
  return async function showPickDocument(ctx) {
    if (!(await pageCaller(deps, ctx))) return;
    const chosen = isDocumentType(ctx.query.documentType) ? ctx.query.documentType : undefined;
    deps.render(ctx, { view: 'pick', data: { ...signedInView(ctx), documentTypes: DOCUMENT_TYPES, chosen } });
  };
}
