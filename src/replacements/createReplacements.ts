import type { Knex } from 'knex';
import type { Notifier } from '../notify/index.js';
import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { type Appointment, createAppointmentsRepo } from './appointmentsRepo.js';
import { createHolidaysRepo } from './holidaysRepo.js';
import type { ReportedDocument } from './lossReportsApi.js';
import { type Notice, noticeText } from './notices.js';
import { checkSlot, upcomingSlots } from './officeSlots.js';
import { createOfficesRepo, type Office } from './officesRepo.js';
import { ReplacementRefused } from './replacementErrors.js';
import { newRequestReference, parseRequestReference } from './requestReference.js';
import { createRequestsRepo, type ReplacementRequest, type RequestStatus } from './requestsRepo.js';
import { addDays, type LocalDate, localDateOf } from './riyadhCalendar.js';

/** The person asking, from the service's verified token and session (claims Hawiya released). */
export interface Requester {
  sub: string;
  nationalId?: string;
  nameAr: string;
  nameEn: string;
  phone?: string;
  email?: string;
}

/** A free slot: its start and the seats left. */
export interface FreeSlot {
  startsAt: number;
  seatsLeft: number;
}

// An ID card is collected 15 days after the fingerprints and photo are taken.
export const ID_CARD_COLLECTION_DAYS = 15;
const PROPOSED_DAYS = 21;

export type ReplacementsDeps = {
  db: Knex;
  clock: Clock;
  audit: Audit;
  notifier: Notifier;
  logger: Logger;
};

/**
 * Replacement requests and their appointments: what the person may do (from the service's pages) and the
 * shared reads. Every step is a compare-and-set on the request's status, every booking a conditional insert:
 * nothing is half-recorded, and concurrent steps never both apply.
 */
export function createReplacements(deps: ReplacementsDeps) {
  const { db, clock } = deps;
  const repos = {
    offices: createOfficesRepo({ db, clock }),
    holidays: createHolidaysRepo({ db, clock }),
    requests: createRequestsRepo({ db, clock }),
    appointments: createAppointmentsRepo({ db, clock }),
  };

  async function own(requester: Requester, input: string): Promise<ReplacementRequest> {
    const reference = parseRequestReference(input);
    if (!reference) throw new ReplacementRefused('bad_request_reference');
    const request = await repos.requests.find(reference);
    // Another person's request is not found, rather than forbidden: its existence is not theirs to learn.
    if (!request || request.requesterSub !== requester.sub) throw new ReplacementRefused('unknown_request');
    return request;
  }

  async function office(id: unknown): Promise<Office> {
    const found = typeof id === 'string' && id.length <= 32 ? await repos.offices.find(id) : undefined;
    if (!found?.active) throw new ReplacementRefused('unknown_office');
    return found;
  }

  async function checkBookable(o: Office, startsAt: number): Promise<void> {
    // A malformed time is off the grid before any date is taken from it.
    const date = Number.isSafeInteger(startsAt) ? localDateOf(startsAt) : undefined;
    const holidays = date ? await repos.holidays.dates({ from: date, to: date }) : new Set<string>();
    const problem = checkSlot({ hours: o, startsAt, holidays, now: clock.now() });
    if (problem) throw new ReplacementRefused(problem);
  }

  async function send(to: { phone?: string; email?: string }, notice: Notice, what: string) {
    const sends: Promise<void>[] = [];
    if (to.phone) sends.push(deps.notifier.sendSms({ to: to.phone, text: notice.text }));
    if (to.email)
      sends.push(deps.notifier.sendEmail({ to: to.email, subject: notice.subject, text: notice.text }));
    for (const r of await Promise.allSettled(sends)) {
      if (r.status === 'rejected') deps.logger.warn({ err: String(r.reason), what }, 'notice not sent');
    }
  }

  async function confirmBooking(request: ReplacementRequest, o: Office, a: Appointment) {
    await send(
      request,
      noticeText({
        kind: 'booked',
        reference: request.reference,
        documentType: request.documentType,
        office: { ar: o.nameAr, en: o.nameEn },
        startsAt: a.startsAt,
      }),
      'booking confirmation',
    );
  }

  async function bookInto(opts: {
    requester: Requester;
    request: ReplacementRequest;
    officeId: unknown;
    startsAt: number;
    reschedule: boolean;
  }): Promise<Appointment> {
    const { request } = opts;
    const o = await office(opts.officeId);
    await checkBookable(o, opts.startsAt);
    const from = opts.reschedule ? ('booked' as const) : ('submitted' as const);
    if (!opts.reschedule && request.status === 'booked') throw new ReplacementRefused('already_booked');
    if (request.status !== from) throw new ReplacementRefused('wrong_state');
    // One transaction whose first statement writes: on SQLite it takes the write lock at once (a deferred
    // transaction that read first could not upgrade under a concurrent writer), on PostgreSQL it locks the
    // request's row. A full slot rolls everything back: the old appointment stands.
    const appointment = await db.transaction(async (trx) => {
      if (opts.reschedule) {
        if (!(await repos.appointments.cancelActive(request.reference, trx)))
          throw new ReplacementRefused('wrong_state');
      } else if (
        !(await repos.requests.transition({ reference: request.reference, from: [from], to: 'booked', trx }))
      ) {
        throw new ReplacementRefused('wrong_state');
      }
      const booked = await repos.appointments.book(
        { request: request.reference, officeId: o.id, startsAt: opts.startsAt, capacity: o.capacity },
        trx,
      );
      if (!booked.ok) throw new ReplacementRefused(booked.reason);
      return booked.appointment;
    });
    await deps.audit.record({
      event: 'appointment_booked',
      accountId: opts.requester.sub,
      clientId: 'replacement',
      details: {
        request: request.reference,
        office: o.id,
        startsAt: new Date(appointment.startsAt).toISOString(),
        rescheduled: opts.reschedule,
      },
    });
    await confirmBooking(request, o, appointment);
    return appointment;
  }

  return {
    repos,
    own,

    /** Active offices, for the booking page. */
    offices: () => repos.offices.list({ activeOnly: true }),
    office,

    /** The next free slots of an office (at most `limit`), each with the seats left. */
    async freeSlots(officeId: unknown, limit = 12): Promise<FreeSlot[]> {
      const o = await office(officeId);
      const now = clock.now();
      const today = localDateOf(now);
      const holidays = await repos.holidays.dates({ from: today, to: addDays(today, PROPOSED_DAYS) });
      const starts = upcomingSlots({ hours: o, holidays, now, days: PROPOSED_DAYS });
      if (starts.length === 0) return [];
      const taken = await repos.appointments.takenSeats(
        o.id,
        starts[0] as number,
        starts[starts.length - 1] as number,
      );
      return starts
        .map((startsAt) => ({ startsAt, seatsLeft: o.capacity - (taken.get(startsAt) ?? 0) }))
        .filter((s) => s.seatsLeft > 0)
        .slice(0, limit);
    },

    /**
     * Step 2: a request for one of the person's reported documents. `report` is what the loss-report API
     * answered for the person's token (undefined: not theirs, or none): the only source of the loss.
     */
    async submit(requester: Requester, report: ReportedDocument | undefined): Promise<ReplacementRequest> {
      if (!report) throw new ReplacementRefused('no_loss_report');
      if (report.status !== 'active') throw new ReplacementRefused('loss_report_not_active');
      const existing = await repos.requests.openFor(report.reference);
      if (existing) throw new ReplacementRefused('request_exists');
      let recorded: ReplacementRequest | false = false;
      for (let i = 0; i < 3 && !recorded; i++) {
        const reference = newRequestReference();
        if (await repos.requests.find(reference)) continue;
        recorded = await repos.requests.insert({
          reference,
          requesterSub: requester.sub,
          requesterNationalId: requester.nationalId,
          requesterNameAr: requester.nameAr,
          requesterNameEn: requester.nameEn,
          phone: requester.phone,
          email: requester.email,
          lossReport: report.reference,
          documentType: report.documentType,
          holderNationalId: report.holderNationalId,
          holderName: report.holderName,
        });
        if (!recorded) throw new ReplacementRefused('request_exists');
      }
      if (!recorded) throw new Error('no free request reference');
      await deps.audit.record({
        event: 'replacement_requested',
        accountId: requester.sub,
        clientId: 'replacement',
        nationalId: report.holderNationalId,
        details: {
          request: recorded.reference,
          lossReport: report.reference,
          documentType: report.documentType,
        },
      });
      return recorded;
    },

    /** Books the request's appointment: refused in the past, on a closed day, off the grid, when full. */
    async book(
      requester: Requester,
      input: string,
      officeId: unknown,
      startsAt: number,
    ): Promise<Appointment> {
      const request = await own(requester, input);
      return bookInto({ requester, request, officeId, startsAt, reschedule: false });
    },

    /** Moves a booked appointment to another slot; the old one stands if the new one cannot be had. */
    async reschedule(
      requester: Requester,
      input: string,
      officeId: unknown,
      startsAt: number,
    ): Promise<Appointment> {
      const request = await own(requester, input);
      return bookInto({ requester, request, officeId, startsAt, reschedule: true });
    },

    /**
     * The person gives up the appointment but keeps the request (back to "submitted", to book again later);
     * the seat is freed. Both changes or neither.
     */
    async cancelAppointment(requester: Requester, input: string): Promise<void> {
      const request = await own(requester, input);
      const freed = await db.transaction(async (trx) => {
        const moved = await repos.requests.transition({
          reference: request.reference,
          from: ['booked'],
          to: 'submitted',
          trx,
        });
        if (!moved) return false;
        await repos.appointments.cancelActive(request.reference, trx);
        return true;
      });
      if (!freed) throw new ReplacementRefused('wrong_state');
      await deps.audit.record({
        event: 'appointment_cancelled',
        accountId: requester.sub,
        clientId: 'replacement',
        details: { request: request.reference },
      });
    },

    /** The person cancels a request not yet attended; its appointment's seat is freed. */
    async cancel(requester: Requester, input: string): Promise<void> {
      const request = await own(requester, input);
      await cancelRequest(request, { accountId: requester.sub }, ['submitted', 'booked']);
    },
    cancelRequest,

    list: (requester: Requester) => repos.requests.listByRequester(requester.sub),
    appointmentOf: (reference: string) => repos.appointments.latestFor(reference),

    /** When an ID card can be collected if its fingerprints are taken on `date`. */
    collectionDateAfter: (date: LocalDate) => addDays(date, ID_CARD_COLLECTION_DAYS),
    send,
  };

  /** Cancels from one of `from` (the person: before the appointment; the staff: until collected). */
  async function cancelRequest(
    request: ReplacementRequest,
    who: { accountId?: string; actor?: string },
    from: readonly RequestStatus[],
  ) {
    const cancelled = await db.transaction(async (trx) => {
      if (!(await repos.requests.transition({ reference: request.reference, from, to: 'cancelled', trx })))
        return false;
      await repos.appointments.cancelActive(request.reference, trx);
      return true;
    });
    if (!cancelled) throw new ReplacementRefused('wrong_state');
    await deps.audit.record({
      event: 'replacement_cancelled',
      accountId: who.accountId ?? request.requesterSub,
      actor: who.actor,
      clientId: 'replacement',
      details: { request: request.reference },
    });
  }
}

export type Replacements = ReturnType<typeof createReplacements>;
