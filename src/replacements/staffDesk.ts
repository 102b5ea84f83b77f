import type { Appointment } from './appointmentsRepo.js';
import type { Replacements, ReplacementsDeps } from './createReplacements.js';
import type { LossReportsApi } from './lossReportsApi.js';
import { noticeText } from './notices.js';
import { ReplacementRefused } from './replacementErrors.js';
import { parseRequestReference } from './requestReference.js';
import type { ReplacementRequest } from './requestsRepo.js';
import { addDays, instantOf, isLocalDate, type LocalDate, localDateOf } from './riyadhCalendar.js';

/**
 * The office staff's steps on a request (the admin CLI): attended (biometrics for an ID card), ready for
 * collection on a date, collected (the loss report is then closed as replaced through its API), cancelled.
 * Each is audited under the staff member's actor name.
 */
export function createStaffDesk(
  deps: ReplacementsDeps & { replacements: Replacements; lossReports: LossReportsApi },
) {
  const { replacements } = deps;
  const { requests, appointments } = replacements.repos;

  async function find(input: string): Promise<ReplacementRequest> {
    const reference = parseRequestReference(input);
    if (!reference) throw new ReplacementRefused('bad_request_reference');
    const request = await requests.find(reference);
    if (!request) throw new ReplacementRefused('unknown_request');
    return request;
  }

  async function audit(
    event: 'replacement_attended' | 'replacement_ready' | 'replacement_collected',
    request: ReplacementRequest,
    actor: string,
    details: Record<string, unknown> = {},
  ) {
    await deps.audit.record({
      event,
      accountId: request.requesterSub,
      actor,
      clientId: 'replacement',
      details: { request: request.reference, ...details },
    });
  }

  /** Closes the loss report as replaced; a failure leaves it to the service's sweep (false). */
  async function closeReport(request: ReplacementRequest): Promise<boolean> {
    try {
      await deps.lossReports.close(request.lossReport, request.reference);
      await requests.markReportClosed(request.reference);
      return true;
    } catch (err) {
      deps.logger.warn(
        { err: (err as Error).message, request: request.reference },
        'loss report closure deferred',
      );
      return false;
    }
  }

  return {
    find,
    closeReport,

    async show(input: string): Promise<{ request: ReplacementRequest; appointment?: Appointment }> {
      const request = await find(input);
      return { request, appointment: await appointments.latestFor(request.reference) };
    },

    /** The person came: fingerprints and photo taken for an ID card. */
    async attend(input: string, actor: string): Promise<ReplacementRequest> {
      const request = await find(input);
      const ok = await deps.db.transaction(async (trx) => {
        const moved = await requests.transition({
          reference: request.reference,
          from: ['booked'],
          to: 'attended',
          changes: { biometricsCaptured: request.documentType === 'national_id_card' },
          trx,
        });
        if (moved) await appointments.markAttended(request.reference, trx);
        return moved;
      });
      if (!ok) throw new ReplacementRefused('wrong_state');
      await audit('replacement_attended', request, actor);
      return (await requests.find(request.reference)) ?? request;
    },

    /**
     * Ready for collection from `date` (default: 15 days after the appointment for an ID card, today
     * otherwise); the person is told by SMS and e-mail.
     */
    async ready(input: string, actor: string, date?: string): Promise<ReplacementRequest> {
      const request = await find(input);
      if (date !== undefined && !isLocalDate(date)) throw new ReplacementRefused('bad_date');
      const appointment = await appointments.latestFor(request.reference);
      const today = localDateOf(deps.clock.now());
      const collectionDate: LocalDate =
        date ??
        (request.documentType === 'national_id_card' && appointment
          ? replacements.collectionDateAfter(localDateOf(appointment.startsAt))
          : today);
      if (
        !(await requests.transition({
          reference: request.reference,
          from: ['attended'],
          to: 'ready',
          changes: { collectionDate },
        }))
      )
        throw new ReplacementRefused('wrong_state');
      await audit('replacement_ready', request, actor, { collectionDate });
      await replacements.send(
        request,
        noticeText({
          kind: 'ready',
          reference: request.reference,
          documentType: request.documentType,
          collectionDate,
        }),
        'ready notice',
      );
      return (await requests.find(request.reference)) ?? request;
    },

    /** Handed over: the request is done and its loss report is closed as replaced. */
    async collect(
      input: string,
      actor: string,
    ): Promise<{ request: ReplacementRequest; reportClosed: boolean }> {
      const request = await find(input);
      if (!(await requests.transition({ reference: request.reference, from: ['ready'], to: 'collected' })))
        throw new ReplacementRefused('wrong_state');
      await audit('replacement_collected', request, actor);
      const reportClosed = await closeReport(request);
      return { request: (await requests.find(request.reference)) ?? request, reportClosed };
    },

    async cancel(input: string, actor: string): Promise<ReplacementRequest> {
      const request = await find(input);
      await replacements.cancelRequest(request, { actor }, ['submitted', 'booked', 'attended', 'ready']);
      return (await requests.find(request.reference)) ?? request;
    },

    /** An office's appointments on a Riyadh date, with their requests. */
    async appointmentsOn(officeId: string, date: LocalDate) {
      if (!isLocalDate(date)) throw new ReplacementRefused('bad_date');
      const o = await replacements.repos.offices.find(officeId);
      if (!o) throw new ReplacementRefused('unknown_office');
      const list = await appointments.listForOffice(o.id, instantOf(date), instantOf(addDays(date, 1)));
      return Promise.all(
        list.map(async (a) => ({ appointment: a, request: await requests.find(a.request) })),
      );
    },
  };
}

export type StaffDesk = ReturnType<typeof createStaffDesk>;
