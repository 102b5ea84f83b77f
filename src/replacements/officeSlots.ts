import {
  addDays,
  instantOf,
  isoWeekday,
  type LocalDate,
  localDateOf,
  localMinutesOf,
} from './riyadhCalendar.js';

/** An office's opening rules (Asia/Riyadh). */
export interface OfficeHours {
  /** minutes after midnight: the first slot starts then */
  opensAt: number;
  /** minutes after midnight: the last slot ends by then */
  closesAt: number;
  slotMinutes: number;
  /** people per slot */
  capacity: number;
  /** ISO weekdays it opens (1 Monday … 7 Sunday): Sunday-Thursday by default, Friday-Saturday the weekend */
  workingDays: readonly number[];
}

export const DEFAULT_WORKING_DAYS: readonly number[] = [7, 1, 2, 3, 4];

/** Why a slot cannot be booked, or undefined when it can (capacity aside: that is the database's). */
export type SlotProblem = 'slot_in_past' | 'office_closed' | 'not_a_slot';

/** Start minutes of every slot of a working day. */
export function slotStarts(hours: OfficeHours): number[] {
  const starts: number[] = [];
  for (let m = hours.opensAt; m + hours.slotMinutes <= hours.closesAt; m += hours.slotMinutes) starts.push(m);
  return starts;
}

/** Whether the office opens that day: a working weekday, not a public holiday. */
export function isOpenDay(hours: OfficeHours, date: LocalDate, holidays: ReadonlySet<string>): boolean {
  return hours.workingDays.includes(isoWeekday(date)) && !holidays.has(date);
}

/**
 * Checks a requested slot start against the office's rules. No I/O: the caller gives the holidays and now.
 * A slot must start after `now` plus the notice (bookings close an hour before, by default).
 */
export function checkSlot(opts: {
  hours: OfficeHours;
  startsAt: number;
  holidays: ReadonlySet<string>;
  now: number;
  noticeMs?: number;
}): SlotProblem | undefined {
  const { hours, startsAt } = opts;
  if (!Number.isSafeInteger(startsAt)) return 'not_a_slot';
  if (startsAt <= opts.now + (opts.noticeMs ?? 3600_000)) return 'slot_in_past';
  if (!isOpenDay(hours, localDateOf(startsAt), opts.holidays)) return 'office_closed';
  if (startsAt % 60_000 !== 0 || !slotStarts(hours).includes(localMinutesOf(startsAt))) return 'not_a_slot';
  return undefined;
}

/**
 * The slot starts (epoch ms) from `now` on, over the next `days` calendar days, that the rules allow, in
 * order; the caller removes the full ones.
 */
export function upcomingSlots(opts: {
  hours: OfficeHours;
  holidays: ReadonlySet<string>;
  now: number;
  days: number;
  noticeMs?: number;
}): number[] {
  const out: number[] = [];
  const first = localDateOf(opts.now);
  for (let i = 0; i <= opts.days; i++) {
    const date = addDays(first, i);
    if (!isOpenDay(opts.hours, date, opts.holidays)) continue;
    for (const m of slotStarts(opts.hours)) {
      const t = instantOf(date, m);
      if (t > opts.now + (opts.noticeMs ?? 3600_000)) out.push(t);
    }
  }
  return out;
}
