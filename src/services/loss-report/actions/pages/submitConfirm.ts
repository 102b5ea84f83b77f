import type { Middleware } from 'koa';
import { ReportRefused } from '../../createLossReports.js';
import type { LossReportDeps } from '../../lossReportDeps.js';
import { checkFormCsrf, pageCaller } from '../../pageCaller.js';
import { isDocumentType } from '../../reportInput.js';
import { requestMeta } from '../../requestMeta.js';
import { renderDetailsForm } from './detailsForm.js';

/**
 * POST /reports/new/confirm: "Do you want to register this lost document?" Yes records it (every check
 * again: the page is only a form) and shows the reference; No goes back to the details, recording nothing.
 */
export function submitConfirm(deps: LossReportDeps): Middleware {
  return async function submitConfirm(ctx) {
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
    if (body.answer !== 'yes') return renderDetailsForm(deps, ctx, { documentType, values });
    try {
      const report = await deps.reports.create(caller, { documentType, ...values }, requestMeta(ctx));
      ctx.status = 303;
      ctx.redirect(`/reports/${report.reference}?created=1`);
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
