import { generateSecret, generateURI, verify } from 'otplib';

// TOTP (RFC 6238) with otplib 13: the parameters every authenticator app reads (SHA-1, 6 digits, 30 s), a
// 160-bit secret, and one step either side for a clock that drifts (checklist 10).

/** The time step, seconds. */
export const TOTP_PERIOD = 30;
/** Secret length, bytes: 160 bits, shown as 32 base32 characters. */
export const TOTP_SECRET_BYTES = 20;

/** A new random secret, base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: TOTP_SECRET_BYTES });
}

/**
 * The otpauth:// URI an authenticator app scans (from the QR code). otplib leaves out parameters at their
 * defaults; they are written anyway so that any app, and an auditor, reads the period (checklist 10).
 */
export function totpUri(opts: { secret: string; account: string }): string {
  const uri = new URL(generateURI({ issuer: 'Hawiya', label: opts.account, secret: opts.secret }));
  uri.searchParams.set('algorithm', 'SHA1');
  uri.searchParams.set('digits', '6');
  uri.searchParams.set('period', String(TOTP_PERIOD));
  return uri.href;
}

/**
 * The time step a code proves, or undefined. `afterStep` (the step last accepted for this secret) refuses a
 * code of that step or an earlier one, so a code works once even while it is still showing (checklist 9).
 */
export async function verifyTotp(opts: {
  secret: string;
  code: string;
  nowMs: number;
  afterStep?: number;
}): Promise<number | undefined> {
  if (!/^\d{6}$/.test(opts.code)) return undefined;
  const result = await verify({
    secret: opts.secret,
    token: opts.code,
    period: TOTP_PERIOD,
    epoch: Math.floor(opts.nowMs / 1000),
    epochTolerance: TOTP_PERIOD,
    ...(opts.afterStep === undefined ? {} : { afterTimeStep: opts.afterStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
