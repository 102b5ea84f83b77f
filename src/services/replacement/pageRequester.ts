import type { Context } from 'koa';
import type { Requester } from '../../replacements/createReplacements.js';
import type { ReportedDocument } from '../../replacements/lossReportsApi.js';
import { SERVICE_PATHS } from '../../shared/serviceRegistry.js';
import { ApiAuthRefused, type ApiCaller } from '../shared/apiAuth.js';
import { currentSession } from '../shared/middleware/loadSession.js';
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

/**
 * The signed-in person, from the session's token for this service's API, authenticated by the very check
 * the API's outside callers meet. Undefined, after a redirect to sign in, without a session or a token
 * Hawiya still renews.
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
  if (!currentSession(ctx)) return signIn();
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
    return requesterOf(caller);
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
