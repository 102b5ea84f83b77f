import type { Locale } from '../../../i18n/messages.js';
import { citizenDate, localDigits } from '../../../shared/localText.js';

const TIME_ZONE = 'Asia/Riyadh';
const RIYADH_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE });
const TIME: Record<Locale, Intl.DateTimeFormat> = {
  ar: new Intl.DateTimeFormat('ar-SA-u-nu-arab', { timeStyle: 'short', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: TIME_ZONE }),
};

/** A day as the security page shows it: Gregorian with the Hijri date beside it (Riyadh), page digits. */
export function dayText(locale: Locale, ms: number): string {
  const d = citizenDate(locale, RIYADH_DAY.format(ms));
  return localDigits(locale, `${d.gregorian} (${d.hijri})`);
}

/** A moment (sign-in, event, release): its day in both calendars and the Riyadh time, page digits. */
export function momentText(locale: Locale, ms: number): string {
  return localDigits(
    locale,
    `${dayText(locale, ms)}${locale === 'ar' ? '، ' : ', '}${TIME[locale].format(ms)}`,
  );
}
