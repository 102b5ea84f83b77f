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
  ],
  national_id: ['national_id', 'id_type'],
  phone: ['phone_number', 'phone_number_verified'],
  email: ['email', 'email_verified'],
} as const;

/** 0551234567 -> +966551234567; numbers already in E.164 are kept. */
export function toE164(mobile: string): string {
  if (mobile.startsWith('+')) return mobile;
  return `+966${mobile.replace(/^0/, '')}`;
}

/** Every claim Hawiya can release about a person; oidc-provider filters them by scope and consent. */
export function claimsOf(account: Account, person: RegistryPerson): Record<string, unknown> {
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
    national_id: person.nationalId,
    id_type: person.idType,
    phone_number: toE164(person.mobile),
    phone_number_verified: true,
    ...(email ? { email, email_verified: person.email !== null && person.email === email } : {}),
  };
}
