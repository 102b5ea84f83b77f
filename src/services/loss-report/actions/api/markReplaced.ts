import type { Middleware } from 'koa';
import { createJsonBodyReader } from '../../../../shared/jsonBody.js';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type LossReportDeps, SCOPES } from '../../lossReportDeps.js';

/**
 * POST /api/reports/:reference/replaced {request?}: client credentials with civil:loss_report.close (the
 * replacement service, once the new document is collected). Answers the reference and status only.
 */
export function markReplaced(deps: LossReportDeps): Middleware {
  const readBody = createJsonBodyReader({ limit: '1kb' });
  return apiHandler(deps, SCOPES.close, async (ctx, caller) => {
    const body = ctx.request.length ? await readBody(ctx) : {};
    const report = await deps.reports.markReplaced(caller, String(ctx.params.reference), body.request);
    ctx.body = { reference: report.reference, status: report.status };
  });
}
