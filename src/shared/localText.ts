// Language-aware text shared by Hawiya's pages and the services' (which may import only shared/): plural
// forms, digits, dates with the Hijri date beside the Gregorian one, and numbers isolated inside sentences.

export type TextLocale = 'ar' | 'en';

const PLURAL_RULES: Record<TextLocale, Intl.PluralRules> = {
  ar: new Intl.PluralRules('ar'),
  en: new Intl.PluralRules('en'),
};

/**
 * Fills a message template. `{name}` is replaced by the parameter; `{name, plural, one {…} other {…}}` picks
 * the branch `Intl.PluralRules` gives for the number (Arabic has zero, one, two, few, many and other; a
 * missing branch falls back to `other`), with `#` standing for the number.
 */
export function fillTemplate(
  locale: TextLocale,
  template: string,
  params: Record<string, string | number> = {},
): string {
  const plural = template.replace(
    /\{(\w+), plural,((?:\s*\w+ \{[^{}]*\})+)\s*\}/g,
    (whole, name: string, branches: string) => {
      const n = Number(params[name]);
      if (!Number.isFinite(n)) return whole;
      const forms = new Map<string, string>();
      for (const m of branches.matchAll(/(\w+) \{([^{}]*)\}/g)) forms.set(m[1] as string, m[2] as string);
      const text = forms.get(PLURAL_RULES[locale].select(n)) ?? forms.get('other') ?? '';
      return text.replace(/#/g, String(n));
    },
  );
  return plural.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';

/** Arabic pages write every digit in Arabic-Indic figures, English pages in Latin ones. */
export function localDigits(locale: TextLocale, text: string): string {
  if (locale === 'ar') return text.replace(/[0-9]/g, (d) => ARABIC_INDIC[Number(d)] as string);
  return text.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** Numbers, IDs, codes and masked phone numbers: written left to right whatever the sentence's direction. */
const LTR_VALUE = /^[\p{Nd}*+\-\s:/.()]+$/u;

/**
 * A message as HTML with each parameter isolated from the sentence around it (`<bdi>`), numbers, IDs and
 * masked mobiles as isolated left-to-right runs (`<bdo dir="ltr">`), so `05******12` never shows as `12******05` in an Arabic sentence.
 * Everything is escaped; plural forms are filled first.
 */
export function isolatedHtml(
  locale: TextLocale,
  template: string,
  params: Record<string, string | number> = {},
): string {
  const marks: Record<string, string> = {};
  const keyed: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    // plural branches need the number itself; the plain `{name}` places get a placeholder
    keyed[name] = value;
    marks[name] = `\uE000${name}\uE000`;
  }
  const withPlurals = fillTemplate(
    locale,
    template.replace(/\{(\w+)\}/g, (_, n: string) => (n in marks ? (marks[n] as string) : `{${n}}`)),
    keyed,
  );
  return localDigits(locale, escapeHtml(withPlurals)).replace(/\uE000(\w+)\uE000/g, (_, name: string) => {
    const value = localDigits(locale, String(params[name]));
    // bdo, not bdi: Arabic-Indic digits around "*" would still be drawn right to left inside an LTR isolate
    return LTR_VALUE.test(value)
      ? `<bdo dir="ltr">${escapeHtml(value)}</bdo>`
      : `<bdi>${escapeHtml(value)}</bdi>`;
  });
}

const DATE_FORMATS: Record<TextLocale, { gregorian: Intl.DateTimeFormat; hijri: Intl.DateTimeFormat }> = {
  ar: {
    gregorian: new Intl.DateTimeFormat('ar-SA-u-ca-gregory-nu-arab', { dateStyle: 'long', timeZone: 'UTC' }),
    hijri: new Intl.DateTimeFormat('ar-SA-u-ca-islamic-umalqura-nu-arab', {
      dateStyle: 'long',
      timeZone: 'UTC',
    }),
  },
  en: {
    gregorian: new Intl.DateTimeFormat('en-GB-u-ca-gregory', { dateStyle: 'long', timeZone: 'UTC' }),
    hijri: new Intl.DateTimeFormat('en-GB-u-ca-islamic-umalqura', { dateStyle: 'long', timeZone: 'UTC' }),
  },
};

/** A date as a citizen reads it: Gregorian in the page's language, and the Umm al-Qura Hijri date beside it. */
export function citizenDate(locale: TextLocale, date: Date | string): { gregorian: string; hijri: string } {
  const d = typeof date === 'string' ? new Date(date.length === 10 ? `${date}T12:00:00Z` : date) : date;
  const f = DATE_FORMATS[locale];
  return { gregorian: f.gregorian.format(d), hijri: f.hijri.format(d) };
}
