import type { Context } from 'koa';
import { SERVICE_PATHS } from '../../shared/serviceRegistry.js';
import type { ApiCaller } from '../shared/apiAuth.js';
import { sessionApiCaller } from '../shared/sessionApiCaller.js';
import { type LossReportDeps, SCOPES } from './lossReportDeps.js';

/** The signed-in person as the reports API sees them; undefined (after a redirect to sign in) otherwise. */
export function pageCaller(
  deps: LossReportDeps,
  ctx: Context,
  opts: { redirect: boolean } = { redirect: true },
): Promise<ApiCaller | undefined> {
  return sessionApiCaller(deps, ctx, {
    scope: SCOPES.person,
    path: `${SERVICE_PATHS.api}/reports`,
    redirect: opts.redirect,
  });
}

export { checkFormCsrf } from '../shared/formCsrf.js';
