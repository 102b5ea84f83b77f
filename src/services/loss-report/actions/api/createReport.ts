import type { Middleware } from 'koa';
import { createJsonBodyReader } from '../../../../shared/jsonBody.js';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type LossReportDeps, SCOPES } from '../../lossReportDeps.js';
import { reportInputOf, reportJson } from '../../reportJson.js';
import { requestMeta } from '../../requestMeta.js';

/** POST /api/reports {document_type, holder_national_id, holder_name}: records a report (201). */
export function createReport(deps: LossReportDeps): Middleware {
  const readBody = createJsonBodyReader({ limit: '4kb' });
  return apiHandler(deps, SCOPES.person, async (ctx, caller) => {
    const report = await deps.reports.create(caller, reportInputOf(await readBody(ctx)), requestMeta(ctx));
    ctx.status = 201;
    ctx.set('Location', `/api/reports/${report.reference}`);
    ctx.body = reportJson(report, caller);
  });
}
