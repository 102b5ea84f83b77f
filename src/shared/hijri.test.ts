import { describe, expect, it } from 'vitest';
import { gregorianToHijri, hijriToGregorian } from './hijri.js';

describe('Umm al-Qura conversion', () => {
  it('converts known dates both ways (1 Ramadan 1447 = 18 February 2026)', () => {
    const known: [string, { year: number; month: number; day: number }][] = [
      ['2026-02-18', { year: 1447, month: 9, day: 1 }],
      ['2024-03-11', { year: 1445, month: 9, day: 1 }],
      ['2023-07-19', { year: 1445, month: 1, day: 1 }],
      ['1985-03-14', { year: 1405, month: 6, day: 22 }],
    ];
    for (const [iso, hijri] of known) {
      expect(gregorianToHijri(iso)).toEqual(hijri);
      expect(hijriToGregorian(hijri)).toBe(iso);
    }
  });

  it('round-trips every day of 1941-2030', () => {
    for (let t = Date.UTC(1941, 0, 1, 12); t < Date.UTC(2031, 0, 1); t += 86_400_000 * 7) {
      const iso = new Date(t).toISOString().slice(0, 10);
      expect(hijriToGregorian(gregorianToHijri(iso))).toBe(iso);
    }
  });

  it('refuses a day that does not exist', () => {
    // Sha'ban 1447 has 29 days (1 Ramadan is the day after the 29th)
    expect(hijriToGregorian({ year: 1447, month: 8, day: 29 })).toBe('2026-02-17');
    expect(hijriToGregorian({ year: 1447, month: 8, day: 30 })).toBeUndefined();
    expect(hijriToGregorian({ year: 1447, month: 13, day: 1 })).toBeUndefined();
    expect(hijriToGregorian({ year: 1200, month: 1, day: 1 })).toBeUndefined();
  });
});
