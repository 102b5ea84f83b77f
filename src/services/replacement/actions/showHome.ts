import type { Middleware } from 'koa';
import { LossReportsUnavailable, type ReportedDocument } from '../../../replacements/lossReportsApi.js';
import { currentSession } from '../../shared/middleware/loadSession.js';
import { signedInView } from '../../shared/signedInView.js';
import { pageRequester, personReports } from '../pageRequester.js';
import type { ReplacementDeps } from '../replacementDeps.js';
import { requestView } from '../requestView.js';

/**
 * GET /: sign in with Hawiya; signed in, the documents reported lost and not yet replaced (each with
 * "Request a replacement", or a link to report a loss when there is none) and "My requests".
 */
export function showHome(deps: ReplacementDeps): Middleware {
  return async function showHome(ctx) {
    if (!currentSession(ctx)) return deps.render(ctx, { view: 'home', data: signedInView(ctx) });
    const requester = await pageRequester(deps, ctx, { redirect: false });
    if (!requester)
      return deps.render(ctx, { view: 'home', data: { ...signedInView(ctx), requests: [], reported: [] } });
    const requests = await deps.replacements.list(requester);
    const open = new Set(requests.filter((r) => r.status !== 'cancelled').map((r) => r.lossReport));
    let reported: ReportedDocument[] = [];
    let unavailable = false;
    try {
      reported = ((await personReports(deps, ctx)) ?? []).filter(
        (r) => r.status === 'active' && !open.has(r.reference),
      );
    } catch (err) {
      if (!(err instanceof LossReportsUnavailable)) throw err;
      unavailable = true;
    }
    const offices = new Map((await deps.replacements.repos.offices.list()).map((o) => [o.id, o]));
    const views = await Promise.all(
      requests.map(async (r) => {
        const a = await deps.replacements.appointmentOf(r.reference);
        return requestView(ctx, r, a, a ? offices.get(a.officeId) : undefined);
      }),
    );
    deps.render(ctx, {
      view: 'home',
      data: {
        ...signedInView(ctx),
        requests: views,
        reported,
        unavailable,
        lossReportHome: deps.lossReportHome,
      },
    });
  };
}
