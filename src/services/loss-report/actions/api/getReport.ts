import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type LossReportDeps, SCOPES } from '../../lossReportDeps.js';
import { reportJson } from '../../reportJson.js';

/** GET /api/reports/:reference: one of the caller's reports (another person's is not found). */
export function getReport(deps: LossReportDeps): Middleware {
  return apiHandler(deps, SCOPES.person, async (ctx, caller) => {
    ctx.body = reportJson(await deps.reports.get(caller, String(ctx.params.reference)), caller);
  });
}
