import type { Middleware } from 'koa';
import { createJsonBodyReader } from '../../../../shared/jsonBody.js';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type LossReportDeps, SCOPES } from '../../lossReportDeps.js';
import { reportJson } from '../../reportJson.js';

/**
 * POST /api/reports/:reference/lookup {sub, national_id}: client credentials with civil:loss_report.read
 * (the replacement service, for a person its own API authenticated from a Hawiya token). The report as that
 * person would read it: theirs as reporter or holder, otherwise 404 as for the person. In the body, not the
 * URL, so that no national ID lands in an access log.
 */
export function lookupReport(deps: LossReportDeps): Middleware {
  const readBody = createJsonBodyReader({ limit: '1kb' });
  return apiHandler(deps, SCOPES.lookup, async (ctx, caller) => {
    const body = await readBody(ctx);
    const person = {
      ...caller,
      sub: typeof body.sub === 'string' && body.sub !== '' ? body.sub : '',
      nationalId: typeof body.national_id === 'string' ? body.national_id : undefined,
    };
    if (!person.sub) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'sub is required' };
      return;
    }
    ctx.body = reportJson(await deps.reports.get(person, String(ctx.params.reference)), person);
  });
}
