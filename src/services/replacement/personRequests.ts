import type { Appointment } from '../../replacements/appointmentsRepo.js';
import type { Requester } from '../../replacements/createReplacements.js';
import type { ReplacementRequest } from '../../replacements/requestsRepo.js';
import { addDays, localDateOf } from '../../replacements/riyadhCalendar.js';
import type { ReplacementDeps } from './replacementDeps.js';

// What a person does with their requests, the same for the API and the pages (which differ only in how
// they read the input and show the answer): one code path behind both.

/**
 * A request for one of the person's reported documents: the loss-report API (asked with the service's own
 * token for this person) must confirm the report is theirs and active; otherwise refused, nothing recorded.
 */
export async function requestReplacement(
  deps: ReplacementDeps,
  requester: Requester,
  lossReport: unknown,
): Promise<ReplacementRequest> {
  const reference = typeof lossReport === 'string' ? lossReport.trim().slice(0, 40) : '';
  const report = reference ? await deps.lossReports.lookup(reference, requester) : undefined;
  return deps.replacements.submit(requester, report);
}

/** Books the request's appointment, or moves the one it has (the old one stands if the new is refused). */
export async function bookAppointment(
  deps: ReplacementDeps,
  opts: { requester: Requester; request: ReplacementRequest; officeId: unknown; startsAt: number },
): Promise<Appointment> {
  const { requester, request } = opts;
  return request.status === 'booked'
    ? deps.replacements.reschedule(requester, request.reference, opts.officeId, opts.startsAt)
    : deps.replacements.book(requester, request.reference, opts.officeId, opts.startsAt);
}

/** A request's standing (not cancelled) appointment. */
export async function standingAppointment(
  deps: ReplacementDeps,
  reference: string,
): Promise<Appointment | undefined> {
  const a = await deps.replacements.appointmentOf(reference);
  return a && a.status !== 'cancelled' ? a : undefined;
}

/** Form 58 of one of the person's requests, prefilled with the person's and the document's data. */
export async function form58Of(deps: ReplacementDeps, requester: Requester, input: string) {
  const r = await deps.replacements.own(requester, input);
  const standing = await standingAppointment(deps, r.reference);
  const office = standing ? await deps.replacements.repos.offices.find(standing.officeId) : undefined;
  const collectionDate =
    r.collectionDate ??
    (r.documentType === 'national_id_card' && standing
      ? addDays(localDateOf(standing.startsAt), 15)
      : undefined);
  // Loaded on first use: pdfkit, its fonts and qrcode add ~35 MB to every process that imports them.
  const { form58Pdf } = await import('./form58Pdf.js');
  const pdf = await form58Pdf({
    reference: r.reference,
    lossReport: r.lossReport,
    requesterNameAr: r.requesterNameAr,
    requesterNameEn: r.requesterNameEn,
    requesterNationalId: r.requesterNationalId,
    documentType: r.documentType,
    holderNationalId: r.holderNationalId,
    holderName: r.holderName,
    appointment:
      standing && office
        ? { officeAr: office.nameAr, officeEn: office.nameEn, startsAt: standing.startsAt }
        : undefined,
    collectionDate,
    printedAt: deps.clock.now(),
  });
  return { reference: r.reference, pdf };
}
