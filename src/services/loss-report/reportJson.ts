import type { ApiCaller } from '../shared/apiAuth.js';
import type { LossReport } from './lossReportsRepo.js';

/** A report as the API shows it to its reporter or to its document's holder (who may not be the reporter). */
export function reportJson(r: LossReport, caller: ApiCaller) {
  return {
    reference: r.reference,
    document_type: r.documentType,
    holder_national_id: r.holderNationalId,
    holder_name: r.holderName,
    status: r.status,
    reported_by_you: r.reporterSub === caller.sub,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
  };
}

/** The API's JSON fields, as the domain's input. */
export function reportInputOf(body: Record<string, unknown>): Record<string, unknown> {
  return {
    documentType: body.document_type,
    holderNationalId: body.holder_national_id,
    holderName: body.holder_name,
  };
}
