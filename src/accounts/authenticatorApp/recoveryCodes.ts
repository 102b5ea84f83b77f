import { createHash } from 'node:crypto';
import { generateSecret } from 'otplib';

/** How many codes a set has. */
export const RECOVERY_CODE_COUNT = 10;
/** Random bytes per code: 80 bits (checklist 23 asks at least 64), 16 base32 characters. */
const CODE_BYTES = 10;

/** A new set of codes, as shown to the person: four groups of four, e.g. `ABCD-EFGH-JKLM-NPQR`. */
export function newRecoveryCodes(): string[] {
  // otplib's secret: CSPRNG bytes in base32 (A-Z, 2-7: no 0, 1, 8 or 9 to confuse with O, I or B).
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    (generateSecret({ length: CODE_BYTES }).match(/.{4}/g) ?? []).join('-'),
  );
}

/**
 * What is stored for a code: a SHA-256 of it, normalised (case, spaces and dashes do not matter). 80 random
 * bits need no slow hash: no dictionary reaches them, and each account's codes are tried under its limits.
 */
export function recoveryCodeHash(code: string): string {
  const normalised = code.toUpperCase().replace(/[\s-]/g, '');
  return createHash('sha256').update(normalised).digest('hex');
}
