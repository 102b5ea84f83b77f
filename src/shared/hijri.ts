// Umm al-Qura Hijri <-> Gregorian dates through the platform's ICU calendar (Intl 'islamic-umalqura'):
// no hand-written tables. Dates are calendar days, handled at noon UTC so no time zone moves them.

export interface HijriDate {
  year: number;
  month: number;
  day: number;
}

const HIJRI_PARTS = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura-nu-latn', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  timeZone: 'UTC',
});

const DAY_MS = 86_400_000;

/** The Umm al-Qura date of a Gregorian day (`YYYY-MM-DD`). */
export function gregorianToHijri(iso: string): HijriDate {
  const parts = HIJRI_PARTS.formatToParts(new Date(`${iso}T12:00:00Z`));
  const num = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  // ICU names the era year "relatedYear" in some versions and "year" in others
  return { year: num('year') || num('relatedYear'), month: num('month'), day: num('day') };
}

/**
 * The Gregorian day (`YYYY-MM-DD`) of an Umm al-Qura date, or undefined when no such day exists (the 30th
 * of a 29-day month, month 13, a year outside 1300-1600).
 */
export function hijriToGregorian(h: HijriDate): string | undefined {
  if (!Number.isInteger(h.year) || !Number.isInteger(h.month) || !Number.isInteger(h.day)) return undefined;
  if (h.year < 1300 || h.year > 1600 || h.month < 1 || h.month > 12 || h.day < 1 || h.day > 30)
    return undefined;
  // 1 Muharram 1 AH is 16 July 622 (Julian); a Hijri year is about 354.367 days: estimate, then walk.
  const epoch = Date.UTC(622, 6, 19, 12);
  const estimate = epoch + ((h.year - 1) * 354.367 + (h.month - 1) * 29.53 + (h.day - 1)) * DAY_MS;
  for (let offset = 0; offset <= 40; offset++) {
    for (const sign of offset === 0 ? [1] : [1, -1]) {
      const iso = new Date(estimate + sign * offset * DAY_MS).toISOString().slice(0, 10);
      const got = gregorianToHijri(iso);
      if (got.year === h.year && got.month === h.month && got.day === h.day) return iso;
    }
  }
  return undefined;
}
