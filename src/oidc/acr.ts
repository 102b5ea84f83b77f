// Authentication context classes, lowest first. What a login achieves is decided here and nowhere else.

export const ACR = {
  /** password + e-mail code: e-mail is not an out-of-band authenticator (NIST 800-63B-4 3.1.3.1) */
  basic: 'urn:hawiya:acr:basic',
  /** AAL2: password + SMS code (a restricted authenticator), later TOTP or passkey */
  standard: 'urn:hawiya:acr:standard',
  /** AAL3: a phishing-resistant, device-bound authenticator with user verification */
  high: 'urn:hawiya:acr:high',
} as const;

export type AcrValue = (typeof ACR)[keyof typeof ACR];
export const ACR_VALUES: readonly AcrValue[] = [ACR.basic, ACR.standard, ACR.high];

/** A factor the person used in this login; each factor module adds its own. */
export type FactorUsed = 'pwd' | 'sms' | 'email';

export function acrRank(acr: string | undefined): number {
  return acr ? ACR_VALUES.indexOf(acr as AcrValue) : -1;
}

/** The acr and RFC 8176 amr values that a set of factors gives; never more than they prove. */
export function assurance(factors: readonly FactorUsed[]): { acr: AcrValue; amr: string[] } | undefined {
  const has = (f: FactorUsed) => factors.includes(f);
  if (has('pwd') && has('sms')) return { acr: ACR.standard, amr: ['pwd', 'sms', 'mfa'] };
  if (has('pwd') && has('email')) return { acr: ACR.basic, amr: ['pwd', 'otp'] };
  return undefined;
}

/** The lowest acr a request accepts: the client's minimum, raised by any acr_values the request names. */
export function requiredAcr(opts: { clientMin?: string; requested?: string[] }): AcrValue {
  let rank = Math.max(0, acrRank(opts.clientMin));
  const asked = (opts.requested ?? []).map(acrRank).filter((r) => r >= 0);
  if (asked.length > 0) rank = Math.max(rank, Math.min(...asked));
  return ACR_VALUES[rank] ?? ACR.basic;
}
