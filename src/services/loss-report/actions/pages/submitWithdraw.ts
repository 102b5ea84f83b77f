import type { Middleware } from 'koa';
import type { LossReportDeps } from '../../lossReportDeps.js';
import { checkFormCsrf, pageCaller } from '../../pageCaller.js';
import { requestMeta } from '../../requestMeta.js';

/** POST /reports/:reference/withdraw: "I found it". */
export function submitWithdraw(deps: LossReportDeps): Middleware {
  return async function submitWithdraw(ctx) {
    const caller = await pageCaller(deps, ctx);
    if (!caller) return;
    checkFormCsrf(ctx);
    const report = await deps.reports.withdraw(caller, String(ctx.params.reference), requestMeta(ctx));
    ctx.status = 303;
    ctx.redirect(`/reports/${report.reference}?withdrawn=1`);
  };
}
