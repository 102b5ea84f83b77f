import { ACR } from '../levels.js';
import type { Factor } from './factor.js';

/**
 * A recovery code the person saved (a look-up secret, NIST 800-63B-4: AAL2 with the password), used in place
 * of the second factor when the phone or app is lost. Single use; offered last, never by default. RFC 8176
 * has no value of its own for it: `otp` (a one-time password).
 */
export const recoveryCode = {
  name: 'recovery',
  amr: ['otp'],
  role: 'second',
  level: ACR.standard,
  independent: true,
  phishingResistant: false,
} as const satisfies Factor;
