import { describe, expect, it } from 'vitest';
import {
  addDays,
  gregorianDate,
  hijriDate,
  hijriParts,
  instantOf,
  isLocalDate,
  isoWeekday,
  localDateOf,
  localMinutesOf,
} from './riyadhCalendar.js';

describe('Riyadh dates in the Gregorian and Umm al-Qura calendars', () => {
  it('1 Ramadan 1447 is 18 February 2026 (Umm al-Qura)', () => {
    expect(hijriParts('2026-02-18')).toEqual({ day: 1, month: 9, year: 1447 });
    expect(hijriDate('2026-02-18', 'en')).toBe('1 Ramadan 1447 AH');
    expect(hijriDate('2026-02-18', 'ar')).toContain('رمضان 1447');
    expect(gregorianDate('2026-02-18', 'en')).toBe('Wednesday, 18 February 2026');
  });

  it('other known conversions: 1 Muharram 1447 = 26 June 2025, 1 Shawwal 1447 = 20 March 2026', () => {
    expect(hijriParts('2025-06-26')).toEqual({ day: 1, month: 1, year: 1447 });
    expect(hijriParts('2026-03-20')).toEqual({ day: 1, month: 10, year: 1447 });
    expect(hijriParts('2026-03-19')).toEqual({ day: 30, month: 9, year: 1447 });
  });

  it('a Riyadh day starts at 21:00 UTC the evening before', () => {
    const midnight = instantOf('2026-02-18');
    expect(new Date(midnight).toISOString()).toBe('2026-02-17T21:00:00.000Z');
    expect(localDateOf(midnight)).toBe('2026-02-18');
    expect(localDateOf(midnight - 1)).toBe('2026-02-17');
    expect(localMinutesOf(instantOf('2026-02-18', 8 * 60 + 30))).toBe(510);
  });

  it('weekdays, date arithmetic and date validation', () => {
    expect(isoWeekday('2026-02-20')).toBe(5); // Friday
    expect(isoWeekday('2026-02-22')).toBe(7); // Sunday
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-2-3')).toBe(false);
    expect(isLocalDate('2026-02-28')).toBe(true);
  });
});

describe('development holidays', () => {
  it('Eid al-Fitr 1447 starts on 20 March 2026; Founding Day is 22 February', async () => {
    const { publicHolidaysBetween } = await import('./devOffices.js');
    const days = publicHolidaysBetween('2026-02-01', '2026-03-31');
    expect(days.map((d) => d.date)).toEqual([
      '2026-02-22',
      '2026-03-20',
      '2026-03-21',
      '2026-03-22',
      '2026-03-23',
    ]);
  });
});
