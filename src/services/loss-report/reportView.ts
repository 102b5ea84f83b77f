import type { Context } from 'koa';
import { citizenDate } from '../../shared/localText.js';
import type { LossReport } from './lossReportsRepo.js';

/**
 * A report as the pages show it: the date in the page's language and digits with the Hijri date beside it,
 * the holder's ID in full (it is theirs).
 */
export function reportView(ctx: Context, r: LossReport) {
  const date = citizenDate(ctx.state.locale === 'en' ? 'en' : 'ar', new Date(r.createdAt));
  return {
    reference: r.reference,
    documentType: r.documentType,
    holderNationalId: r.holderNationalId,
    holderName: r.holderName,
    status: r.status,
    date: `${date.gregorian} (${date.hijri})`,
  };
}
