import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type LossReportDeps, SCOPES } from '../../lossReportDeps.js';

/**
 * GET /api/register?document_type=…&national_id=…: for banks, police and the replacement service (a
 * client-credentials token with civil:loss_register.read): whether that document is reported lost now,
 * with the reference and date, and nothing more about the person.
 */
export function queryRegister(deps: LossReportDeps): Middleware {
  return apiHandler(deps, SCOPES.register, async (ctx) => {
    ctx.body = await deps.reports.registerStatus(ctx.query.document_type, ctx.query.national_id);
  });
}
