import type { Middleware } from 'koa';
import { signedInView } from '../../../shared/signedInView.js';
import type { LossReportDeps } from '../../lossReportDeps.js';
import { pageCaller } from '../../pageCaller.js';
import { reportView } from '../../reportView.js';

/** GET /reports/:reference: one of the person's reports; "I found it" while it is active. */
export function showReport(deps: LossReportDeps): Middleware {
  return async function showReport(ctx) {
    const caller = await pageCaller(deps, ctx);
    if (!caller) return;
    const report = await deps.reports.get(caller, String(ctx.params.reference));
    deps.render(ctx, {
      view: 'report',
      data: {
        ...signedInView(ctx),
        report: reportView(ctx, report, caller),
        created: ctx.query.created === '1',
        withdrawn: ctx.query.withdrawn === '1',
      },
    });
  };
}
