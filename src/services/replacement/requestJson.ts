import type { Appointment } from '../../replacements/appointmentsRepo.js';
import type { FreeSlot } from '../../replacements/createReplacements.js';
import type { Office } from '../../replacements/officesRepo.js';
import type { ReplacementRequest } from '../../replacements/requestsRepo.js';
import {
  addDays,
  clockTime,
  hijriParts,
  type LocalDate,
  localDateOf,
  localMinutesOf,
} from '../../replacements/riyadhCalendar.js';

// The replacement API's JSON (snake_case, like the loss-report API's). Times are instants (ISO 8601, UTC)
// with the Riyadh date and time beside them; every date also in the Umm al-Qura calendar.

/** A Riyadh date in both calendars. */
export function dateJson(date: LocalDate) {
  const h = hijriParts(date);
  return { date, hijri: `${h.year}-${String(h.month).padStart(2, '0')}-${String(h.day).padStart(2, '0')}` };
}

/** A slot start: the instant, and the Riyadh date (both calendars) and time. */
export function instantJson(startsAt: number) {
  return {
    starts_at: new Date(startsAt).toISOString(),
    ...dateJson(localDateOf(startsAt)),
    time: clockTime(localMinutesOf(startsAt)),
  };
}

export function officeJson(o: Office) {
  return {
    id: o.id,
    name_ar: o.nameAr,
    name_en: o.nameEn,
    city_ar: o.cityAr,
    city_en: o.cityEn,
    opens: clockTime(o.opensAt),
    closes: clockTime(o.closesAt),
    slot_minutes: o.slotMinutes,
    capacity: o.capacity,
    working_days: [...o.workingDays],
  };
}

export function slotJson(s: FreeSlot) {
  return { ...instantJson(s.startsAt), seats_left: s.seatsLeft };
}

/** A request as its requester reads it, with its standing appointment (null when none). */
export function requestJson(r: ReplacementRequest, appointment: Appointment | undefined) {
  const standing = appointment && appointment.status !== 'cancelled' ? appointment : undefined;
  const expected =
    r.documentType === 'national_id_card' && standing && !r.collectionDate
      ? addDays(localDateOf(standing.startsAt), 15)
      : undefined;
  return {
    reference: r.reference,
    loss_report: r.lossReport,
    document_type: r.documentType,
    holder_national_id: r.holderNationalId,
    holder_name: r.holderName,
    status: r.status,
    biometrics_captured: r.biometricsCaptured,
    appointment: standing ? { office: standing.officeId, ...instantJson(standing.startsAt) } : null,
    collection: r.collectionDate ? dateJson(r.collectionDate) : null,
    expected_collection: expected ? dateJson(expected) : null,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
  };
}
