import { ACR } from '../levels.js';
import type { Factor } from './factor.js';

// A passkey with user verification (fingerprint, face or the device PIN) is a multi-factor cryptographic
// authenticator bound to Hawiya's origin: alone it gives at least the standard level (NIST 800-63B-4).
// Which of the two modules a passkey proves is decided from its flags when it is used (passkeyFactor.ts).

/** A device-bound passkey (backup-eligible flag BE=0): the key never leaves the device. AAL3. */
export const boundPasskey = {
  name: 'passkey-bound',
  amr: ['hwk', 'user'],
  role: 'second',
  level: ACR.high,
  independent: true,
  phishingResistant: true,
  alone: true,
} as const satisfies Factor;

/** A synced passkey (BE=1), or one whose model the attestation policy does not allow: never high. AAL2. */
export const syncedPasskey = {
  name: 'passkey',
  amr: ['swk', 'user'],
  role: 'second',
  level: ACR.standard,
  independent: true,
  phishingResistant: true,
  alone: true,
} as const satisfies Factor;
