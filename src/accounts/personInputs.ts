import { checkNationalId } from '../registry/index.js';
import { HawiyaError, InvalidInput } from '../shared/errors.js';
import { checkNewPassword } from './passwordPolicy.js';

/** The details do not lead to an account (told the same way whatever did not match). */
export class RegistrationMismatch extends HawiyaError {
  constructor() {
    super('registration_mismatch', 400);
  }
}

export function checkedId(input: string): string {
  const r = checkNationalId(input);
  if (!r.ok) throw new InvalidInput(`national_id_${r.reason}`, 'nationalId');
  return r.nationalId;
}

export function checkedDate(input: string): string {
  const d = input.trim();
  // a day that exists (not 30 February, which Date.parse would roll into March)
  const parsed = Date.parse(`${d}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(d) ||
    Number.isNaN(parsed) ||
    new Date(parsed).toISOString().slice(0, 10) !== d
  ) {
    throw new InvalidInput('birth_date_invalid', 'birthDate');
  }
  return d;
}

export function checkedEmail(input: string | undefined): string | null {
  const e = (input ?? '').trim();
  if (!e) return null;
  // No control characters: a NUL would pass a looser pattern and then fail at delivery or in PostgreSQL.
  if (e.length > 254 || !/^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u.test(e))
    throw new InvalidInput('email_invalid', 'email');
  return e;
}

/** A new password the policy accepts, else InvalidInput on the password field with the reason. */
export function checkedNewPassword(opts: { password: string; username: string; nationalId: string }): void {
  const r = checkNewPassword(opts);
  if (!r.ok)
    throw new InvalidInput(`password_${r.problem}`, 'password', { min: r.min ?? 8, max: r.max ?? 256 });
}
