// Dates as the civil-affairs offices keep them: calendar days in Asia/Riyadh, shown in the Gregorian and
// the Umm al-Qura Hijri calendars. Pure functions on the platform's Intl (ICU), no I/O; the services and
// the staff CLI both use them (the identity provider has its own helpers in its i18n, which these may not
// import).

export const TIME_ZONE = 'Asia/Riyadh';
// Asia/Riyadh has kept UTC+3 without daylight saving since 1979: a day's midnight is a fixed offset.
const OFFSET_MS = 3 * 3600_000;
const DAY_MS = 86_400_000;

/** A calendar date in Riyadh, YYYY-MM-DD. */
export type LocalDate = string;

/** The Riyadh calendar date of an instant. */
export function localDateOf(ms: number): LocalDate {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes after Riyadh midnight of an instant. */
export function localMinutesOf(ms: number): number {
  return Math.floor(((ms + OFFSET_MS) % DAY_MS) / 60_000);
}

/** The instant of a Riyadh date at `minutes` after midnight. */
export function instantOf(date: LocalDate, minutes = 0): number {
  return Date.parse(`${date}T00:00:00Z`) - OFFSET_MS + minutes * 60_000;
}

/** The date `days` after (or before) a date. */
export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 Monday … 5 Friday, 6 Saturday, 7 Sunday. */
export function isoWeekday(date: LocalDate): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** "HH:MM" of minutes after midnight. */
export function clockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export type CalendarLocale = 'ar' | 'en';

/** Arabic with Latin digits, as the services' pages write numbers (IDs, references) everywhere. */
const LOCALES: Record<CalendarLocale, string> = { ar: 'ar-SA-u-nu-latn', en: 'en-GB' };

/** A date in the Gregorian calendar: "18 February 2026" / "18 فبراير 2026", weekday included. */
export function gregorianDate(date: LocalDate, locale: CalendarLocale): string {
  return new Intl.DateTimeFormat(LOCALES[locale], {
    calendar: 'gregory',
    timeZone: TIME_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(instantOf(date, 12 * 60));
}

/** A date in the Umm al-Qura calendar: "1 Ramadan 1447 AH" / "1 رمضان 1447 هـ". */
export function hijriDate(date: LocalDate, locale: CalendarLocale): string {
  return new Intl.DateTimeFormat(LOCALES[locale], {
    calendar: 'islamic-umalqura',
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(instantOf(date, 12 * 60));
}

/** The Umm al-Qura day, month (1-12) and year of a date, for holidays fixed in the Hijri calendar. */
export function hijriParts(date: LocalDate): { day: number; month: number; year: number } {
  const parts = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura-nu-latn', {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  }).formatToParts(instantOf(date, 12 * 60));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { day: n('day'), month: n('month'), year: n('year') };
}

/** Both calendars, as the pages and Form 58 show every date. */
export function bothCalendars(date: LocalDate, locale: CalendarLocale): { gregorian: string; hijri: string } {
  return { gregorian: gregorianDate(date, locale), hijri: hijriDate(date, locale) };
}
