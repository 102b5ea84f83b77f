// Saudi national IDs: 10 digits, the first says citizen (1) or resident (2), the last is a Luhn check digit.
// In shared/ because the IdP's registry and the services (which may not import it) check the same format.

export type IdType = 'citizen' | 'resident';

export type NationalIdCheck =
  | { ok: true; nationalId: string; idType: IdType }
  | { ok: false; reason: 'format' | 'type' | 'checksum' };

const ARABIC_INDIC_ZERO = 0x0660; // ٠
const EASTERN_ARABIC_INDIC_ZERO = 0x06f0; // ۰

/** Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits become ASCII: people type them on Arabic keyboards. */
export function normalizeDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const c = d.charCodeAt(0);
    const zero = c >= EASTERN_ARABIC_INDIC_ZERO ? EASTERN_ARABIC_INDIC_ZERO : ARABIC_INDIC_ZERO;
    return String(c - zero);
  });
}

/** Luhn check digit for a string of ASCII digits (the payload, without its check digit). */
export function luhnDigit(payload: string): number {
  let sum = 0;
  // The rightmost payload digit is doubled, then every second one leftwards.
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Appends the Luhn check digit to nine digits, giving a 10-digit ID (used to generate valid IDs). */
export function withCheckDigit(nineDigits: string): string {
  const payload = normalizeDigits(nineDigits);
  if (!/^\d{9}$/.test(payload)) throw new TypeError('withCheckDigit expects exactly nine digits');
  return `${payload}${luhnDigit(payload)}`;
}

export function checkNationalId(input: string): NationalIdCheck {
  // pasted with spaces, dashes or invisible direction marks (as copied from a card or a message): cleaned
  const nationalId = normalizeDigits(
    input.replace(/[\s\-\u2010-\u2015\u2212\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ''),
  );
  if (!/^\d{10}$/.test(nationalId)) return { ok: false, reason: 'format' };
  const idType: IdType | undefined =
    nationalId[0] === '1' ? 'citizen' : nationalId[0] === '2' ? 'resident' : undefined;
  if (!idType) return { ok: false, reason: 'type' };
  if (luhnDigit(nationalId.slice(0, 9)) !== Number(nationalId[9])) return { ok: false, reason: 'checksum' };
  return { ok: true, nationalId, idType };
}
