import type { Knex } from 'knex';
import type { FlowsRepo } from '../flows/flowsRepo.js';
import type { Notifier } from '../notify/index.js';
import type { Otp, OtpChannel } from '../otp/index.js';
import type { RegistryRepo } from '../registry/index.js';
import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import type { Throttle } from '../throttle/createThrottle.js';
import type { ThrottleSettings } from './loginPolicy.js';
import type { AttestationPolicy } from './passkeys/passkeyFactor.js';
import type { PasswordHasher } from './passwordHasher.js';

export type Locale = 'ar' | 'en';

/** Notices (not codes), each bilingual in the message catalogue. */
export type NoticeKind =
  | 'password_changed'
  | 'already_registered'
  | 'codes_blocked'
  | 'account_disabled'
  | 'passkey_added'
  | 'passkey_removed'
  | 'totp_added'
  | 'totp_removed'
  | 'recovery_codes_generated'
  | 'recovery_code_used';

/** Renders a code message in the person's language (supplied by the http layer's catalogue). */
export type CodeMessage = (
  purpose: 'activation' | 'login' | 'reset',
  locale: Locale,
) => (code: string, minutes: number, channel: OtpChannel) => { subject: string; text: string };

/** Renders a notice in the person's language (supplied by the http layer's catalogue). */
export type NoticeMessage = (kind: NoticeKind, locale: Locale) => { subject: string; text: string };

export type AccountsSettings = ThrottleSettings & {
  ipLimit: number;
  ipWindowSeconds: number;
  subjectLimit: number;
  otpTtlSeconds: number;
};

/** Ends every session, grant and token of an account (the OIDC layer provides it); how many ended. */
export type RevokeSessions = (accountId: string) => Promise<number>;

/** Everything the accounts domain is built from (createAccounts wires its parts with it). */
export interface AccountsDeps {
  db: Knex;
  registry: RegistryRepo;
  otp: Otp;
  flows: FlowsRepo;
  throttle: Throttle;
  hasher: PasswordHasher;
  audit: Audit;
  clock: Clock;
  codeMessage: CodeMessage;
  /** sends notices (not codes): a changed password is told over another channel than the code used */
  notifier: Notifier;
  noticeMessage: NoticeMessage;
  settings: AccountsSettings;
  revokeSessions: RevokeSessions;
  /** passkeys: the issuer URL gives the WebAuthn rpID and origin; the attestation policy the high level */
  passkeys: { issuer: string; policy: AttestationPolicy };
  /** seals authenticator-app secrets at rest (KEYS_ENCRYPTION_KEY; none in development) */
  secretsKey?: string;
}
