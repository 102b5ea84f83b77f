import { describe, expect, it } from 'vitest';
import {
  checkSlot,
  DEFAULT_WORKING_DAYS,
  type OfficeHours,
  slotStarts,
  upcomingSlots,
} from './officeSlots.js';
import { instantOf, localDateOf } from './riyadhCalendar.js';

const HOURS: OfficeHours = {
  opensAt: 8 * 60,
  closesAt: 12 * 60,
  slotMinutes: 30,
  capacity: 2,
  workingDays: DEFAULT_WORKING_DAYS,
};
const NONE = new Set<string>();
// Sunday 15 February 2026, 07:00 in Riyadh
const NOW = instantOf('2026-02-15', 7 * 60);

describe('office slots', () => {
  it('slots fill the opening hours in steps of the slot length', () => {
    expect(slotStarts(HOURS)).toEqual([480, 510, 540, 570, 600, 630, 660, 690]);
  });

  it('a slot in the past, on Friday or Saturday, on a public holiday, or off the grid is refused', () => {
    const check = (startsAt: number, holidays = NONE) =>
      checkSlot({ hours: HOURS, startsAt, holidays, now: NOW });
    expect(check(instantOf('2026-02-16', 9 * 60))).toBeUndefined();
    expect(check(instantOf('2026-02-12', 9 * 60))).toBe('slot_in_past');
    // within the hour's notice
    expect(check(instantOf('2026-02-15', 8 * 60))).toBe('slot_in_past');
    expect(check(instantOf('2026-02-20', 9 * 60))).toBe('office_closed'); // Friday
    expect(check(instantOf('2026-02-21', 9 * 60))).toBe('office_closed'); // Saturday
    expect(check(instantOf('2026-02-22', 9 * 60), new Set(['2026-02-22']))).toBe('office_closed');
    expect(check(instantOf('2026-02-16', 9 * 60 + 10))).toBe('not_a_slot');
    expect(check(instantOf('2026-02-16', 12 * 60))).toBe('not_a_slot');
    expect(check(Number.NaN)).toBe('not_a_slot');
  });

  it('upcoming slots skip the weekend and holidays and start after the notice', () => {
    const slots = upcomingSlots({ hours: HOURS, holidays: new Set(['2026-02-16']), now: NOW, days: 7 });
    const days = [...new Set(slots.map(localDateOf))];
    expect(days).toEqual(['2026-02-15', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-22']);
    expect(slots[0]).toBe(instantOf('2026-02-15', 8 * 60 + 30));
  });
});
