import { randomInt } from 'node:crypto';
import { luhnDigit, normalizeDigits } from '../../shared/nationalId.js';

// A report's reference: "LR" and ten digits, the last a Luhn check digit, so that a mistyped reference is
// told apart from an unknown one without a lookup (one wrong digit or two swapped neighbours always fail).
const PREFIX = 'LR';

/** A fresh random reference (nine random digits, then the check digit). */
export function newReference(): string {
  const payload = String(randomInt(100_000_000, 1_000_000_000));
  return `${PREFIX}${payload}${luhnDigit(payload)}`;
}

/**
 * A reference as typed (any case, spaces or dashes, Arabic-Indic digits) in its stored form, or undefined
 * when it is not one: wrong shape or a check digit that does not match.
 */
export function parseReference(input: string): string | undefined {
  if (input.length > 40) return undefined;
  const compact = normalizeDigits(input).replace(/[\s-]/g, '').toUpperCase();
  const m = /^LR(\d{9})(\d)$/.exec(compact);
  if (!m?.[1] || !m[2]) return undefined;
  return luhnDigit(m[1]) === Number(m[2]) ? compact : undefined;
}
