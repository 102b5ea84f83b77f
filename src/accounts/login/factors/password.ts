import type { Factor } from './factor.js';

/** The password: the first factor of every login. */
export const password = {
  name: 'pwd',
  amr: ['pwd'],
  role: 'first',
  independent: true,
  phishingResistant: false,
} as const satisfies Factor;
