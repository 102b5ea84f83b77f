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

/**
 * The lowest acr a request accepts: the client's minimum, raised by any acr_values the request names and by
 * the values its claims parameter makes essential.
 */
export function requiredAcr(opts: {
  clientMin?: string;
  requested?: string[];
  essential?: string[];
}): AcrValue {
  let rank = Math.max(0, acrRank(opts.clientMin));
  for (const named of [opts.requested, opts.essential]) {
    const asked = (named ?? []).map(acrRank).filter((r) => r >= 0);
    if (asked.length > 0) rank = Math.max(rank, Math.min(...asked));
  }
  return ACR_VALUES[rank] ?? ACR.basic;
}

/**
 * The acr values a claims parameter (JSON) makes essential for the ID token, as oidc-provider's login
 * prompt enforces them: `{"id_token":{"acr":{"essential":true,"values":[…]}}}` (or `"value"`).
 */
export function essentialAcrs(claimsParameter: unknown): string[] | undefined {
  if (typeof claimsParameter !== 'string') return undefined;
  let acr: unknown;
  try {
    acr = (JSON.parse(claimsParameter) as { id_token?: { acr?: unknown } } | null)?.id_token?.acr;
  } catch {
    return undefined;
  }
  if (typeof acr !== 'object' || acr === null) return undefined;
  const { essential, value, values } = acr as { essential?: unknown; value?: unknown; values?: unknown };
  if (essential !== true) return undefined;
  const named = (Array.isArray(values) ? values : [value]).filter((v): v is string => typeof v === 'string');
  return named.length > 0 ? named : undefined;
}
