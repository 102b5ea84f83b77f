import { ACR } from '../levels.js';
import type { Factor } from './factor.js';

/**
 * A code from an authenticator app (TOTP, RFC 6238): a single-factor OTP device, AAL2 after the password,
 * unrestricted (unlike SMS), not phishing-resistant. RFC 8176 `otp`.
 */
export const authenticatorApp = {
  name: 'totp',
  amr: ['otp'],
  role: 'second',
  level: ACR.standard,
  independent: true,
  phishingResistant: false,
} as const satisfies Factor;
