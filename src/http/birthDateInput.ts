import { normalizeDigits } from '../registry/index.js';
import { hijriToGregorian } from '../shared/hijri.js';

/**
 * A birth date as typed, in either calendar, as the Gregorian `YYYY-MM-DD` the registry holds. Accepts
 * Arabic-Indic digits, `-`, `/` or `.` between the parts, and day-month-year order. A Hijri date is taken
 * when the person picked the Hijri calendar, or when the year can only be Hijri (1300-1499). What cannot be
 * read is returned as typed, so the domain refuses it with its message.
 */
export function birthDateInput(typed: string, calendar: string): string {
  const parts = normalizeDigits(typed)
    .trim()
    .split(/\s*[-/.\s]\s*/);
  if (parts.length !== 3 || !parts.every((p) => /^\d{1,4}$/.test(p))) return typed;
  const [a, b, c] = parts as [string, string, string];
  const [year, month, day] = a.length === 4 ? [a, b, c] : c.length === 4 ? [c, b, a] : [];
  if (!year || !month || !day) return typed;
  const y = Number(year);
  if (calendar === 'islamic' || (y >= 1300 && y < 1500)) {
    return hijriToGregorian({ year: y, month: Number(month), day: Number(day) }) ?? typed;
  }
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  // a day that does not exist (31 April) is refused, not rolled over into the next month
  const d = new Date(`${iso}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : typed;
}
