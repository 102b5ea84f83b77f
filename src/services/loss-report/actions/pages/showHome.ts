import type { Middleware } from 'koa';
import { currentSession } from '../../../shared/middleware/loadSession.js';
import { signedInView } from '../../../shared/signedInView.js';
import type { LossReportDeps } from '../../lossReportDeps.js';
import { pageCaller } from '../../pageCaller.js';
import { reportView } from '../../reportView.js';

/** GET /: sign in with Hawiya; signed in, "Report a lost document" and "My reports". */
export function showHome(deps: LossReportDeps): Middleware {
  return async function showHome(ctx) {
    if (!currentSession(ctx)) return deps.render(ctx, { view: 'home', data: signedInView(ctx) });
    // The home page never bounces to Hawiya: without a usable API token it shows no reports.
    const caller = await pageCaller(deps, ctx, { redirect: false });
    const reports = caller ? (await deps.reports.list(caller)).map((r) => reportView(ctx, r, caller)) : [];
    deps.render(ctx, { view: 'home', data: { ...signedInView(ctx), reports } });
  };
}
