// Authentication context classes (assurance levels), lowest first. The login flow decides which one a
// login achieves (loginFlow.ts); the OIDC layer only asks for and reports them.

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

/** The rank of an acr value (basic 0 < standard 1 < high 2); -1 for anything else. */
export function acrRank(acr: string | undefined): number {
  return acr ? ACR_VALUES.indexOf(acr as AcrValue) : -1;
}
