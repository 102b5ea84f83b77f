import type { Context } from 'koa';
import type { Appointment } from '../../replacements/appointmentsRepo.js';
import type { Office } from '../../replacements/officesRepo.js';
import type { ReplacementRequest } from '../../replacements/requestsRepo.js';
import {
  addDays,
  bothCalendars,
  clockTime,
  type LocalDate,
  localDateOf,
  localMinutesOf,
} from '../../replacements/riyadhCalendar.js';
import { localDigits } from '../../shared/localText.js';

export const localeOf = (ctx: Context): 'ar' | 'en' => (ctx.state.locale === 'en' ? 'en' : 'ar');

/** A date as every page shows it: Gregorian, then Hijri (Umm al-Qura), in the page's digits. */
export function dateView(ctx: Context, date: LocalDate): string {
  const { gregorian, hijri } = bothCalendars(date, localeOf(ctx));
  // Parentheses, not "·": beside Arabic-Indic digits a middle dot reads as a zero (٠).
  return localDigits(localeOf(ctx), `${gregorian} (${hijri})`);
}

/** A slot start: the date in both calendars and the Riyadh time. */
export function timeView(ctx: Context, startsAt: number): string {
  return localDigits(
    localeOf(ctx),
    `${dateView(ctx, localDateOf(startsAt))} · ${clockTime(localMinutesOf(startsAt))}`,
  );
}

/** A request as "My requests" and its page show it. */
export function requestView(
  ctx: Context,
  r: ReplacementRequest,
  appointment: Appointment | undefined,
  office: Office | undefined,
) {
  const standing = appointment && appointment.status !== 'cancelled' ? appointment : undefined;
  const idCard = r.documentType === 'national_id_card';
  const expected =
    idCard && standing && r.status === 'booked'
      ? dateView(ctx, addDays(localDateOf(standing.startsAt), 15))
      : undefined;
  return {
    reference: r.reference,
    lossReport: r.lossReport,
    documentType: r.documentType,
    holderName: r.holderName,
    holderNationalId: r.holderNationalId,
    status: r.status,
    idCard,
    appointment: standing ? timeView(ctx, standing.startsAt) : undefined,
    office: office ? (localeOf(ctx) === 'en' ? office.nameEn : office.nameAr) : undefined,
    collection: r.collectionDate ? dateView(ctx, r.collectionDate) : undefined,
    expectedCollection: expected,
    canBook: r.status === 'submitted',
    canReschedule: r.status === 'booked',
    canCancel: r.status === 'submitted' || r.status === 'booked',
  };
}
