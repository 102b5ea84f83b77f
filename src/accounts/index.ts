// The accounts domain's public surface.

export type { AccountsDeps, CodeMessage, Locale, NoticeKind, NoticeMessage } from './accountsDeps.js';
export type { Account, AccountStatus } from './accountsRepo.js';
export {
  ACCOUNT_WITH_PERSON_COLUMNS,
  type AccountWithPerson,
  accountWithPersonOf,
} from './accountWithPerson.js';
export { type Accounts, createAccounts, RegistrationMismatch } from './createAccounts.js';
export * from './login/index.js';
export type { ChangePassword } from './password/index.js';
export type { PasswordReset } from './passwordReset/index.js';
export type { Registration } from './registration/index.js';
export type { RequestMeta } from './requestMeta.js';
