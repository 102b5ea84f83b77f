import { authenticatorApp } from './authenticatorApp.js';
import { emailCode } from './emailCode.js';
import type { Factor } from './factor.js';
import { boundPasskey, syncedPasskey } from './passkey.js';
import { password } from './password.js';
import { recoveryCode } from './recoveryCode.js';
import { smsCode } from './smsCode.js';

export type { Factor } from './factor.js';

/**
 * Every factor a login may use. Where several are offered, the first listed is the default: a passkey the
 * person holds comes before the authenticator app, which comes before an SMS code; a recovery code is
 * never the default.
 */
export const FACTORS = [
  password,
  boundPasskey,
  syncedPasskey,
  authenticatorApp,
  smsCode,
  emailCode,
  recoveryCode,
] as const satisfies readonly Factor[];

export type FactorName = (typeof FACTORS)[number]['name'];

/** A factor by its name; undefined for a name no module registers (e.g. from an older transaction). */
export function factorNamed(name: string): Factor | undefined {
  return FACTORS.find((f) => f.name === name);
}
