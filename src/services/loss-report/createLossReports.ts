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
import type { RegistryCheckLimit } from './registryCheckLimit.js';
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
      | 'too_many_checks'
      | 'duplicate_report'
      | 'bad_reference'
      | 'unknown_report'
      | 'report_not_active',
    status: number,
    readonly fields: Partial<Record<ReportField, ReportFieldError>> = {},
    params: Record<string, string | number> = {},
  ) {
    super(code, status, params);
  }
}

/** Too many registry checks by this person: try again after `seconds` (shown in minutes on the pages). */
function tooManyChecks(seconds: number): ReportRefused {
  return new ReportRefused('too_many_checks', 429, {}, { seconds, minutes: Math.ceil(seconds / 60) });
}

/** What the register tells banks, police and the replacement service: nothing about the person. */
export interface RegisterAnswer {
  reported: boolean;
  reference?: string;
  reportedAt?: string;
  /** whether the holder reported it themselves or another person did (review R7): weigh it accordingly */
  reportedBy?: 'holder' | 'other';
}

/** Where a request came from, for the audit record. */
export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

/** The caller is the document's holder: their national ID claim is the report's holder's. */
export function isHolder(caller: ApiCaller, report: LossReport): boolean {
  return caller.nationalId !== undefined && caller.nationalId === report.holderNationalId;
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
  /** per person, before Hawiya is asked (review R1) */
  checkLimit: RegistryCheckLimit;
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
    const allowance = await deps.checkLimit.take(caller.sub);
    if (!allowance.allowed) throw tooManyChecks(allowance.retryAfterSeconds);
    const match = await deps.registryCheck.check(input.holderNationalId, input.holderName);
    // One refusal whatever the registry said (wrong name, not in the registry, living for a death
    // certificate): the form must not tell a signed-in person more about someone else (review R3).
    if (!ACCEPTED[input.documentType].includes(match)) throw new ReportRefused('holder_mismatch', 422);
    // Only after a match: whether a document is reported is learnt only by one who knows ID and name.
    if (await repo.activeFor(input.documentType, input.holderNationalId))
      throw new ReportRefused('duplicate_report', 409);
    return input;
  }

  async function own(caller: ApiCaller, referenceInput: string): Promise<LossReport> {
    const reference = parseReference(referenceInput);
    if (!reference) throw new ReportRefused('bad_reference', 400);
    const report = await repo.find(reference);
    // Another person's report is not found, rather than forbidden: its existence is not theirs to learn.
    // The holder sees (and may withdraw) a report about their own document (review R7).
    if (!report || !(report.reporterSub === caller.sub || isHolder(caller, report)))
      throw new ReportRefused('unknown_report', 404);
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

    /** `meta`: where the request came from, for the audit record (checklist 43). */
    async create(caller: ApiCaller, raw: Record<string, unknown>, meta?: RequestMeta): Promise<LossReport> {
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
          reporterIsHolder: caller.nationalId === input.holderNationalId,
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
        ...(meta ?? {}),
      });
      await notify(caller, report);
      return report;
    },

    /** The caller's own reports and those about their documents, whoever made them (review R7). */
    async list(caller: ApiCaller): Promise<LossReport[]> {
      return repo.listFor(caller.sub, caller.nationalId);
    },

    get: own,

    async withdraw(caller: ApiCaller, referenceInput: string, meta?: RequestMeta): Promise<LossReport> {
      const report = await own(caller, referenceInput);
      if (!(await repo.close(report.reference, 'withdrawn')))
        throw new ReportRefused('report_not_active', 409);
      await deps.audit.record({
        event: 'loss_report_withdrawn',
        accountId: caller.sub,
        clientId: caller.clientId,
        nationalId: report.holderNationalId,
        details: {
          reference: report.reference,
          documentType: report.documentType,
          by: report.reporterSub === caller.sub ? 'reporter' : 'holder',
        },
        ...(meta ?? {}),
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
            reportedBy: active.reporterIsHolder ? 'holder' : 'other',
          }
        : { reported: false };
    },
  };
}

export type LossReports = ReturnType<typeof createLossReports>;
