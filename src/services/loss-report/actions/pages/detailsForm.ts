import type { Context } from 'koa';
import { signedInView } from '../../../shared/signedInView.js';
import type { LossReportDeps } from '../../lossReportDeps.js';
import type { DocumentType, ReportField, ReportFieldError } from '../../reportInput.js';

/** The holder's details form, with what was typed and, after a refusal, why (one summary, each field). */
export function renderDetailsForm(
  deps: LossReportDeps,
  ctx: Context,
  page: {
    documentType: DocumentType;
    values: { holderNationalId: string; holderName: string };
    fieldErrors?: Partial<Record<ReportField, ReportFieldError>>;
    /** a refusal about the report as a whole (a message key) and its parameters */
    formError?: string;
    formErrorParams?: Record<string, string | number>;
    status?: number;
  },
): void {
  const fieldErrors = Object.entries(page.fieldErrors ?? {}).filter(([, reason]) => reason !== undefined);
  // "Try again in N minutes" tells the person when; a machine reads the same from Retry-After.
  const seconds = page.formErrorParams?.seconds;
  if (typeof seconds === 'number') ctx.set('Retry-After', String(seconds));
  deps.render(ctx, {
    view: 'details',
    status: page.status ?? 200,
    data: {
      ...signedInView(ctx),
      documentType: page.documentType,
      values: page.values,
      fieldErrors: Object.fromEntries(fieldErrors),
      errors: [
        ...(page.formError ? [{ key: page.formError, params: stringParams(page.formErrorParams) }] : []),
        ...fieldErrors.map(([field, reason]) => ({ field, key: `loss.error.${reason}` })),
      ],
    },
  });
}

function stringParams(params: Record<string, string | number> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
}
