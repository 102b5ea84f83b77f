import { ACR } from '../levels.js';
import type { Factor } from './factor.js';

/**
 * A code by e-mail: not an out-of-band authenticator (NIST 800-63B-4 3.1.3.1), so it never gives the
 * standard level, nor `mfa` (checklist 12).
 */
export const emailCode = {
  name: 'email',
  amr: ['otp'],
  role: 'second',
  level: ACR.basic,
  independent: false,
  phishingResistant: false,
} as const satisfies Factor;
