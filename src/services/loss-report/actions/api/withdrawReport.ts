import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type LossReportDeps, SCOPES } from '../../lossReportDeps.js';
import { reportJson } from '../../reportJson.js';
import { requestMeta } from '../../requestMeta.js';

/** POST /api/reports/:reference/withdraw: "I found it"; the report can no longer be used. */
export function withdrawReport(deps: LossReportDeps): Middleware {
  return apiHandler(deps, SCOPES.person, async (ctx, caller) => {
    const report = await deps.reports.withdraw(caller, String(ctx.params.reference), requestMeta(ctx));
    ctx.body = reportJson(report, caller);
  });
}
