import type { Middleware } from 'koa';
import { currentSession } from '../../../shared/middleware/loadSession.js';
import type { LossReportDeps } from '../../lossReportDeps.js';
import { pageCaller } from '../../pageCaller.js';
import { isDocumentType } from '../../reportInput.js';
import { renderDetailsForm } from './detailsForm.js';

/**
 * GET /reports/new/details?documentType=…: the holder's national ID and name, prefilled with the person's
 * own (from Hawiya's claims) except for a death certificate, whose holder cannot be the person.
 */
export function showDetails(deps: LossReportDeps): Middleware {
  return async function showDetails(ctx) {
    const caller = await pageCaller(deps, ctx);
    if (!caller) return;
    const documentType = ctx.query.documentType;
    if (!isDocumentType(documentType)) {
      ctx.status = 303;
      return ctx.redirect('/reports/new');
    }
    const session = currentSession(ctx)?.session;
    const own = documentType !== 'death_certificate';
    renderDetailsForm(deps, ctx, {
      documentType,
      values: {
        holderNationalId: own ? (caller.nationalId ?? '') : '',
        holderName: own ? ((ctx.state.locale === 'en' ? session?.nameEn : session?.nameAr) ?? '') : '',
      },
    });
  };
}
