import type { Notifier } from '../../notify/index.js';
import type { Audit } from '../../shared/audit.js';
import { HawiyaError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { checkNationalId } from '../../shared/nationalId.js';
import type { ApiCaller } from '../shared/apiAuth.js';
import type { HolderMatch, RegistryCheck } from '../shared/createRegistryCheckClient.js';
import { rpTranslate } from '../shared/rpMessages.js';
import type { LossReport, LossReportsRepo } from './lossReportsRepo.js';
import { newReference, parseReference } from './referenceNumber.js';
import {
  checkReportInput,
  type DocumentType,
  isDocumentType,
  type ReportField,
  type ReportFieldError,
  type ReportInput,
} from './reportInput.js';

/** Why a report was refused: a stable code (a message key), a status, and the fields at fault. */
export class ReportRefused extends HawiyaError {
  constructor(
    code:
      | 'invalid_input'
      | 'holder_mismatch'
      | 'holder_not_deceased'
      | 'duplicate_report'
      | 'bad_reference'
      | 'unknown_report'
      | 'report_not_active',
    status: number,
    readonly fields: Partial<Record<ReportField, ReportFieldError>> = {},
  ) {
    super(code, status);
  }
}

/** What the register tells banks, police and the replacement service: nothing about the person. */
export interface RegisterAnswer {
  reported: boolean;
  reference?: string;
  reportedAt?: string;
}

/** Which registry answers make a holder acceptable for each document. */
const ACCEPTED: Record<DocumentType, readonly HolderMatch[]> = {
  national_id_card: ['living'],
  family_record: ['living', 'deceased'],
  birth_certificate: ['living', 'deceased'],
  death_certificate: ['deceased'],
};

/**
 * The lost-document register: what its API (and so its pages) can do. Every operation takes the caller
 * from a verified access token, and a person only ever reads or changes their own reports.
 */
export function createLossReports(deps: {
  repo: LossReportsRepo;
  registryCheck: RegistryCheck;
  notifier: Notifier;
  audit: Audit;
  logger: Logger;
}) {
  const { repo } = deps;

  /** The report as it would be recorded, after every check; records nothing. */
  async function validate(caller: ApiCaller, raw: Record<string, unknown>): Promise<ReportInput> {
    const checked = checkReportInput(raw, { nationalId: caller.nationalId });
    if (!checked.ok) throw new ReportRefused('invalid_input', 400, checked.errors);
    const input = checked.value;
    const match = await deps.registryCheck.check(input.holderNationalId, input.holderName);
    if (!ACCEPTED[input.documentType].includes(match)) {
      if (input.documentType === 'death_certificate' && match === 'living')
        throw new ReportRefused('holder_not_deceased', 422, { holderNationalId: undefined });
      throw new ReportRefused('holder_mismatch', 422);
    }
    if (await repo.activeFor(input.documentType, input.holderNationalId))
      throw new ReportRefused('duplicate_report', 409);
    return input;
  }

  async function own(caller: ApiCaller, referenceInput: string): Promise<LossReport> {
    const reference = parseReference(referenceInput);
    if (!reference) throw new ReportRefused('bad_reference', 400);
    const report = await repo.find(reference);
    // Another person's report is not found, rather than forbidden: its existence is not theirs to learn.
    if (!report || report.reporterSub !== caller.sub) throw new ReportRefused('unknown_report', 404);
    return report;
  }

  async function notify(caller: ApiCaller, report: LossReport): Promise<void> {
    const params = {
      reference: report.reference,
      document: '',
    };
    const text = (['ar', 'en'] as const)
      .map((l) =>
        rpTranslate(l, 'loss.notice.text', {
          ...params,
          document: rpTranslate(l, `loss.doc.${report.documentType}`),
        }),
      )
      .join('\n\n');
    const sends: Promise<void>[] = [];
    if (caller.phoneNumber) sends.push(deps.notifier.sendSms({ to: caller.phoneNumber, text }));
    if (caller.email) {
      const subject = `${rpTranslate('ar', 'loss.notice.subject')} · ${rpTranslate('en', 'loss.notice.subject')}`;
      sends.push(deps.notifier.sendEmail({ to: caller.email, subject, text }));
    }
    // The report stands whether or not a notice could be sent: the person already sees its reference.
    for (const r of await Promise.allSettled(sends)) {
      if (r.status === 'rejected')
        deps.logger.warn({ reference: report.reference, err: String(r.reason) }, 'report notice not sent');
    }
  }

  return {
    validate,

    async create(caller: ApiCaller, raw: Record<string, unknown>): Promise<LossReport> {
      const input = await validate(caller, raw);
      let report: LossReport | false = false;
      // A clash of random references is possible, if unlikely: a new one is drawn.
      for (let i = 0; i < 3 && !report; i++) {
        const reference = newReference();
        if (await repo.find(reference)) continue;
        report = await repo.insert({
          ...input,
          reference,
          reporterSub: caller.sub,
          clientId: caller.clientId,
        });
        if (!report) throw new ReportRefused('duplicate_report', 409);
      }
      if (!report) throw new Error('no free reference');
      await deps.audit.record({
        event: 'loss_reported',
        accountId: caller.sub,
        clientId: caller.clientId,
        nationalId: input.holderNationalId,
        details: { reference: report.reference, documentType: input.documentType },
      });
      await notify(caller, report);
      return report;
    },

    async list(caller: ApiCaller): Promise<LossReport[]> {
      return repo.listByReporter(caller.sub);
    },

    get: own,

    async withdraw(caller: ApiCaller, referenceInput: string): Promise<LossReport> {
      const report = await own(caller, referenceInput);
      if (!(await repo.close(report.reference, 'withdrawn')))
        throw new ReportRefused('report_not_active', 409);
      await deps.audit.record({
        event: 'loss_report_withdrawn',
        accountId: caller.sub,
        clientId: caller.clientId,
        nationalId: report.holderNationalId,
        details: { reference: report.reference, documentType: report.documentType },
      });
      return (await repo.find(report.reference)) ?? report;
    },

    /**
     * Closes a report as replaced: the replacement service, with its own client-credentials token, once the
     * new document is collected. Asking again for a replaced report answers the same (a retry is safe);
     * a withdrawn report cannot be replaced.
     */
    async markReplaced(caller: ApiCaller, referenceInput: string, requestReference: unknown) {
      const reference = parseReference(referenceInput);
      if (!reference) throw new ReportRefused('bad_reference', 400);
      const report = await repo.find(reference);
      if (!report) throw new ReportRefused('unknown_report', 404);
      if (report.status === 'replaced') return report;
      if (!(await repo.close(reference, 'replaced'))) throw new ReportRefused('report_not_active', 409);
      await deps.audit.record({
        event: 'loss_report_replaced',
        accountId: report.reporterSub,
        clientId: caller.clientId,
        nationalId: report.holderNationalId,
        details: {
          reference,
          documentType: report.documentType,
          ...(typeof requestReference === 'string' ? { request: requestReference.slice(0, 32) } : {}),
        },
      });
      return (await repo.find(reference)) ?? report;
    },

    /** Whether that document of that holder is reported lost now (a withdrawn or replaced report is not). */
    async registerStatus(documentType: unknown, nationalId: unknown): Promise<RegisterAnswer> {
      const id = typeof nationalId === 'string' ? checkNationalId(nationalId) : undefined;
      const fields: Partial<Record<ReportField, ReportFieldError>> = {};
      if (!isDocumentType(documentType)) fields.documentType = 'unknown_document';
      if (!id?.ok) fields.holderNationalId = 'bad_national_id';
      if (!isDocumentType(documentType) || !id?.ok) throw new ReportRefused('invalid_input', 400, fields);
      const active = await repo.activeFor(documentType, id.nationalId);
      return active
        ? {
            reported: true,
            reference: active.reference,
            reportedAt: new Date(active.createdAt).toISOString(),
          }
        : { reported: false };
    },
  };
}

export type LossReports = ReturnType<typeof createLossReports>;
