import type { AcrValue } from '../levels.js';

/**
 * One way of proving who you are in a login. A factor is a module of its own (this folder): adding one
 * (passkey, authenticator app, recovery code) is one more file and one line in `index.ts`, plus its actions.
 */
export interface Factor {
  /** stable name: stored in login transactions and audit records (`factor: "pwd+sms"`) */
  readonly name: string;
  /** its RFC 8176 `amr` values */
  readonly amr: readonly string[];
  /**
   * `first`: starts a login (a password), gives no level alone; `second`: completes a login after a first
   * factor, and the login then has this factor's `level`
   */
  readonly role: 'first' | 'second';
  /** the level (acr) a login completed by this factor reaches; none for a first factor */
  readonly level?: AcrValue;
  /**
   * an authentication factor in its own right (NIST 800-63B-4): completing a login with it adds `mfa` to
   * the amr. E-mail is not (it is not an out-of-band authenticator).
   */
  readonly independent: boolean;
  /** resists phishing (bound to the origin): what the high level needs */
  readonly phishingResistant: boolean;
  /**
   * a multi-factor authenticator (a passkey unlocked by fingerprint, face or PIN: possession plus user
   * verification): it completes a login by itself, with no first factor, and its login is `mfa`
   */
  readonly alone?: boolean;
}
