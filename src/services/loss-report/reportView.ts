import type { Context } from 'koa';
import type { ApiCaller } from '../shared/apiAuth.js';
import type { LossReport } from './lossReportsRepo.js';

/** A report as the pages show it: dates in the page's language, the holder's ID in full (it is theirs). */
export function reportView(ctx: Context, r: LossReport, caller: ApiCaller) {
  const locale = ctx.state.locale === 'en' ? 'en-GB' : 'ar-SA-u-nu-latn-ca-gregory';
  return {
    reference: r.reference,
    documentType: r.documentType,
    holderNationalId: r.holderNationalId,
    holderName: r.holderName,
    status: r.status,
    /** a report about the person's own document that someone else made (review R7) */
    byOther: r.reporterSub !== caller.sub,
    date: new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(r.createdAt)),
  };
}
