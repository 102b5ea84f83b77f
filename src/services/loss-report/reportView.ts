import type { Context } from 'koa';
import { citizenDate } from '../../shared/localText.js';
import type { ApiCaller } from '../shared/apiAuth.js';
import type { LossReport } from './lossReportsRepo.js';

/**
 * A report as the pages show it: the date in the page's language and digits with the Hijri date beside it,
 * the holder's ID in full (it is theirs).
 */
export function reportView(ctx: Context, r: LossReport, caller: ApiCaller) {
  const date = citizenDate(ctx.state.locale === 'en' ? 'en' : 'ar', new Date(r.createdAt));
  return {
    reference: r.reference,
    documentType: r.documentType,
    holderNationalId: r.holderNationalId,
    holderName: r.holderName,
    status: r.status,
    /** a report about the person's own document that someone else made (review R7) */
    byOther: r.reporterSub !== caller.sub,
    date: `${date.gregorian} (${date.hijri})`,
  };
}
