import type { Account } from '../accounts/accountsRepo.js';
import type { RegistryPerson } from '../registry/index.js';

export const SCOPE_CLAIMS = {
  openid: ['sub', 'auth_time', 'acr', 'amr'],
  profile: [
    'name',
    'given_name',
    'family_name',
    'name#ar',
    'given_name#ar',
    'family_name#ar',
    'name#en',
    'given_name#en',
    'family_name#en',
    'birthdate',
    'gender',
    'preferred_username',
    'locale',
  ],
  national_id: ['national_id', 'id_type'],
  phone: ['phone_number', 'phone_number_verified'],
  email: ['email', 'email_verified'],
} as const;

export type ClaimScope = keyof typeof SCOPE_CLAIMS;

/** Claims oidc-provider adds itself and a person is never asked about. */
export const PROTOCOL_CLAIMS: readonly string[] = ['sub', 'sid', 'auth_time', 'acr', 'amr', 'iss'];

/**
 * The claims a client may ever receive: those of the scopes it is registered for (its `scope` metadata;
 * none but openid's when it has none). The claims parameter, consent and release never go beyond them.
 */
export function claimsAllowedFor(clientScope: string | undefined): ReadonlySet<string> {
  const allowed = new Set<string>(SCOPE_CLAIMS.openid);
  for (const scope of (clientScope ?? '').split(' ')) {
    if (Object.hasOwn(SCOPE_CLAIMS, scope)) for (const c of SCOPE_CLAIMS[scope as ClaimScope]) allowed.add(c);
  }
  return allowed;
}

/** The part of a person's claims that a client registered for `clientScope` may receive. */
export function releasableClaims(
  all: Record<string, unknown>,
  clientScope: string | undefined,
): Record<string, unknown> {
  const allowed = claimsAllowedFor(clientScope);
  return Object.fromEntries(Object.entries(all).filter(([claim]) => allowed.has(claim)));
}

/**
 * The claims a request names one by one (claims parameter) that consent must cover: those its client may
 * receive, less the protocol's own.
 */
export function consentableClaims(requested: Iterable<string>, clientScope: string | undefined): string[] {
  const allowed = claimsAllowedFor(clientScope);
  return [...new Set(requested)].filter((c) => allowed.has(c) && !PROTOCOL_CLAIMS.includes(c));
}

/** The scope a claim belongs to. */
export function scopeOfClaim(claim: string): ClaimScope | undefined {
  return (Object.keys(SCOPE_CLAIMS) as ClaimScope[]).find((s) =>
    (SCOPE_CLAIMS[s] as readonly string[]).includes(claim),
  );
}

/** 0551234567 -> +966551234567; numbers already in E.164 are kept. */
export function toE164(mobile: string): string {
  if (mobile.startsWith('+')) return mobile;
  return `+966${mobile.replace(/^0/, '')}`;
}

/**
 * Every claim Hawiya holds about a person; `releasableClaims` keeps those a client may receive, and
 * oidc-provider filters them further by the request's scopes and the person's consent.
 */
export function claimsOf(
  account: Pick<Account, 'username' | 'locale' | 'email'>,
  person: RegistryPerson,
): Record<string, unknown> {
  const nameAr = `${person.givenNameAr} ${person.familyNameAr}`;
  const nameEn = `${person.givenNameEn} ${person.familyNameEn}`;
  const email = person.email ?? account.email;
  return {
    name: nameAr,
    given_name: person.givenNameAr,
    family_name: person.familyNameAr,
    'name#ar': nameAr,
    'given_name#ar': person.givenNameAr,
    'family_name#ar': person.familyNameAr,
    'name#en': nameEn,
    'given_name#en': person.givenNameEn,
    'family_name#en': person.familyNameEn,
    birthdate: person.birthDate,
    gender: person.sex === 'F' ? 'female' : 'male',
    preferred_username: account.username,
    ...(account.locale ? { locale: account.locale } : {}),
    national_id: person.nationalId,
    id_type: person.idType,
    phone_number: toE164(person.mobile),
    phone_number_verified: true,
    ...(email ? { email, email_verified: person.email !== null && person.email === email } : {}),
  };
}
