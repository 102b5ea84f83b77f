import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type LossReportDeps, SCOPES } from '../../lossReportDeps.js';
import { reportJson } from '../../reportJson.js';

/** POST /api/reports/:reference/withdraw: "I found it"; the report can no longer be used. */
export function withdrawReport(deps: LossReportDeps): Middleware {
  return apiHandler(deps, SCOPES.person, async (ctx, caller) => {
    ctx.body = reportJson(await deps.reports.withdraw(caller, String(ctx.params.reference)));
  });
}
