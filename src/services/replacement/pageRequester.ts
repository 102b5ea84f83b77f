import type { Context } from 'koa';
import type { Requester } from '../../replacements/createReplacements.js';
import type { ReportedDocument } from '../../replacements/lossReportsApi.js';
import { SERVICE_PATHS } from '../../shared/serviceRegistry.js';
import { ApiAuthRefused } from '../shared/apiAuth.js';
import { currentSession } from '../shared/middleware/loadSession.js';
import { type ReplacementDeps, SCOPE } from './replacementDeps.js';

/**
 * The signed-in person, from the session's token for this service's API (verified as any caller's would be:
 * the national ID and contacts come from its claims) and the names the session holds. Undefined, after a
 * redirect to sign in, without a session or a token Hawiya still renews.
 */
export async function pageRequester(
  deps: ReplacementDeps,
  ctx: Context,
  opts: { redirect: boolean } = { redirect: true },
): Promise<Requester | undefined> {
  const signIn = () => {
    if (!opts.redirect) return undefined;
    ctx.status = 303;
    ctx.redirect(SERVICE_PATHS.login);
    return undefined;
  };
  const current = currentSession(ctx);
  if (!current) return signIn();
  const token = await deps.apiToken(ctx);
  if (!token) return signIn();
  try {
    const caller = await deps.apiAuth.authenticate(
      {
        authorization: `Bearer ${token}`,
        dpop: undefined,
        method: 'GET',
        url: `${deps.baseUrl}${SERVICE_PATHS.api}`,
      },
      SCOPE,
    );
    return {
      sub: caller.sub,
      nationalId: caller.nationalId,
      phone: caller.phoneNumber,
      email: caller.email,
      nameAr: current.session.nameAr,
      nameEn: current.session.nameEn,
    };
  } catch (err) {
    if (err instanceof ApiAuthRefused) return signIn();
    throw err;
  }
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

/** One of the person's loss reports (undefined when it is not theirs or does not exist). */
export async function personReport(
  deps: ReplacementDeps,
  ctx: Context,
  reference: string,
): Promise<ReportedDocument | undefined> {
  const token = await deps.apiToken(ctx, deps.lossReportApi);
  if (!token) return undefined;
  return deps.lossReports.get(token, reference);
}
