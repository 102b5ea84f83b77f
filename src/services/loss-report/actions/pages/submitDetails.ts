import type { Middleware } from 'koa';
import { signedInView } from '../../../shared/signedInView.js';
import { ReportRefused } from '../../createLossReports.js';
import type { LossReportDeps } from '../../lossReportDeps.js';
import { checkFormCsrf, pageCaller } from '../../pageCaller.js';
import { isDocumentType } from '../../reportInput.js';
import { renderDetailsForm } from './detailsForm.js';

/**
 * POST /reports/new/details: every check the API makes (format, own ID card, the registry, a duplicate),
 * then the confirmation page. Nothing is recorded here.
 */
export function submitDetails(deps: LossReportDeps): Middleware {
  return async function submitDetails(ctx) {
    const caller = await pageCaller(deps, ctx);
    if (!caller) return;
    const body = checkFormCsrf(ctx);
    const documentType = isDocumentType(body.documentType) ? body.documentType : undefined;
    if (!documentType) {
      ctx.status = 303;
      return ctx.redirect('/reports/new');
    }
    const values = {
      holderNationalId: typeof body.holderNationalId === 'string' ? body.holderNationalId : '',
      holderName: typeof body.holderName === 'string' ? body.holderName : '',
    };
    try {
      const input = await deps.reports.validate(caller, { documentType, ...values });
      deps.render(ctx, { view: 'confirm', data: { ...signedInView(ctx), input } });
    } catch (err) {
      if (!(err instanceof ReportRefused)) throw err;
      renderDetailsForm(deps, ctx, {
        documentType,
        values,
        fieldErrors: err.fields,
        formError: err.code === 'invalid_input' ? undefined : err.code,
        formErrorParams: err.params,
        status: err.status,
      });
    }
  };
}
