import type { Context } from 'koa';
import type { Requester } from '../../replacements/createReplacements.js';
import type { ReportedDocument } from '../../replacements/lossReportsApi.js';
import { SERVICE_PATHS } from '../../shared/serviceRegistry.js';
import type { ApiCaller } from '../shared/apiAuth.js';
import { sessionApiCaller } from '../shared/sessionApiCaller.js';
import { type ReplacementDeps, SCOPE } from './replacementDeps.js';

/**
 * The person behind a verified token for this service's API: name, national ID and contacts from its
 * claims (what the person granted), whether an outside client or the service's own pages presented it.
 */
export function requesterOf(caller: ApiCaller): Requester {
  return {
    sub: caller.sub,
    nationalId: caller.nationalId,
    phone: caller.phoneNumber,
    email: caller.email,
    nameAr: caller.nameAr ?? caller.nameEn ?? '',
    nameEn: caller.nameEn ?? caller.nameAr ?? '',
  };
}

/** The signed-in person, authenticated as the API's outside callers are; undefined (after a redirect to sign in) otherwise. */
export async function pageRequester(
  deps: ReplacementDeps,
  ctx: Context,
  opts: { redirect: boolean } = { redirect: true },
): Promise<Requester | undefined> {
  const caller = await sessionApiCaller(deps, ctx, {
    scope: SCOPE,
    path: SERVICE_PATHS.api,
    method: 'GET',
    redirect: opts.redirect,
  });
  return caller && requesterOf(caller);
}

/** The person's loss reports, read from the loss-report API with their token for it; undefined: sign in. */
export async function personReports(
  deps: ReplacementDeps,
  ctx: Context,
): Promise<ReportedDocument[] | undefined> {
  const token = await deps.apiToken(ctx, deps.lossReportApi);
  if (!token) return undefined;
  return deps.lossReports.list(token);
}
