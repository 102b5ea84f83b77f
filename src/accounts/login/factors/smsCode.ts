import { ACR } from '../levels.js';
import type { Factor } from './factor.js';

/** A code by SMS to the registry's mobile: a restricted out-of-band authenticator (AAL2). */
export const smsCode = {
  name: 'sms',
  amr: ['sms'],
  role: 'second',
  level: ACR.standard,
  independent: true,
  phishingResistant: false,
} as const satisfies Factor;
