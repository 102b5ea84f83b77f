import { randomInt } from 'node:crypto';
import { luhnDigit, normalizeDigits } from '../shared/nationalId.js';

// A request's reference: "RQ" and ten digits, the last a Luhn check digit (as the loss reports' LR…): a
// mistyped reference is told apart from an unknown one, and the office can read it off Form 58's QR code.
const PREFIX = 'RQ';

export function newRequestReference(): string {
  const payload = String(randomInt(100_000_000, 1_000_000_000));
  return `${PREFIX}${payload}${luhnDigit(payload)}`;
}

/** A reference as typed (any case, spaces or dashes, Arabic-Indic digits), or undefined when it is not one. */
export function parseRequestReference(input: string): string | undefined {
  if (input.length > 40) return undefined;
  const compact = normalizeDigits(input).replace(/[\s-]/g, '').toUpperCase();
  const m = /^RQ(\d{9})(\d)$/.exec(compact);
  if (!m?.[1] || !m[2]) return undefined;
  return luhnDigit(m[1]) === Number(m[2]) ? compact : undefined;
}
