import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type LossReportDeps, SCOPES } from '../../lossReportDeps.js';
import { reportJson } from '../../reportJson.js';

/** GET /api/reports: the caller's own reports, newest first. */
export function listReports(deps: LossReportDeps): Middleware {
  return apiHandler(deps, SCOPES.person, async (ctx, caller) => {
    ctx.body = { reports: (await deps.reports.list(caller)).map((r) => reportJson(r, caller)) };
  });
}
