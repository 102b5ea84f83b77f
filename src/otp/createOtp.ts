import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { Notifier } from '../notify/index.js';
import type { Clock } from '../shared/clock.js';
import { CodeExpired, CodeInvalid, CodeVoid, ResendTooSoon } from '../shared/errors.js';
import { createOtpRepo, type OtpChannel, type OtpPurpose } from './otpRepo.js';

export interface OtpSettings {
  ttlSeconds: number;
  maxAttempts: number;
  resendSeconds: number;
}

export interface IssueCode {
  purpose: OtpPurpose;
  /** the transaction the code belongs to: a code of one login fails in another */
  binding: string;
  /** account (or registration) the code is for */
  subject: string;
  channel: OtpChannel;
  /** phone number or e-mail address: always the one on record, never one typed in the same request */
  to: string;
  /** renders the message for this code */
  message(code: string, minutes: number, channel: OtpChannel): { subject: string; text: string };
  /**
   * true (default): sent before `issue` returns; false for a decoy: the code is stored and checked like any
   * other but sent nowhere; 'later': stored now, sent when the caller runs the returned `deliver`.
   */
  deliver?: boolean | 'later';
  /** a long code (16 letters and digits, about 78 bits) instead of 6 digits: see LONG_CODE_LENGTH */
  long?: boolean;
}

export interface IssuedCode {
  expiresAt: number;
  /** when another code may be asked for */
  resendAt: number;
  /**
   * With deliver: 'later', sends the code; when that fails the code is forgotten (so a new one may be asked
   * for at once) and DeliveryFailed is thrown.
   */
  deliver?: () => Promise<void>;
}

/** A right code not yet used up: `consume` uses it (with its try) in the caller's transaction. */
export interface CheckedCode {
  subject: string;
  channel: OtpChannel;
  /** Uses the code and counts its try in one statement; CodeExpired when another request used it first. */
  consume(trx: Knex): Promise<void>;
}

export interface Otp {
  /** `trx`: stored in the caller's transaction (with deliver: 'later', sent once it has committed). */
  issue(req: IssueCode, trx?: Knex): Promise<IssuedCode>;
  /** Returns the subject on success; throws CodeInvalid, CodeExpired or CodeVoid. */
  verify(req: {
    purpose: OtpPurpose;
    binding: string;
    code: string;
  }): Promise<{ subject: string; channel: OtpChannel }>;
  /**
   * As verify, but a right code is used only by `consume`, in the caller's transaction with its other
   * writes; a wrong one is counted at once.
   */
  check(req: { purpose: OtpPurpose; binding: string; code: string }): Promise<CheckedCode>;
  /** Seconds to wait before a resend is allowed (0 when allowed). */
  resendWait(binding: string, purpose: OtpPurpose): Promise<number>;
  purgeExpired(): Promise<number>;
}

const CODE_DIGITS = 6;
/**
 * Long codes: 16 characters from 30 letters and digits that cannot be mistaken for one another (no 0/O,
 * 1/I/L, U), about 78 bits: too many to guess, so they need no count of wrong tries across transactions
 * (lookup secrets of at least 64 bits, NIST 800-63B). Sent grouped as ABCD-EFGH-JKMN-PQRS.
 */
export const LONG_CODE_LENGTH = 16;
const LONG_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

function newCode(long: boolean): string {
  if (!long) return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
  return Array.from(
    { length: LONG_CODE_LENGTH },
    () => LONG_ALPHABET[randomInt(0, LONG_ALPHABET.length)],
  ).join('');
}

/** How a code is written in a message: a long one in groups of four. */
function shown(code: string): string {
  return code.length === LONG_CODE_LENGTH ? (code.match(/.{4}/g) ?? [code]).join('-') : code;
}

/**
 * A typed code in its one spelling (ASCII digits expected): 6 digits, or a long code's 16 characters with
 * case, spaces and dashes ignored. Anything else is null.
 */
export function parseCode(input: string): string | null {
  const c = input.replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{6}$/.test(c)) return c;
  if (c.length === LONG_CODE_LENGTH && [...c].every((ch) => LONG_ALPHABET.includes(ch))) return c;
  return null;
}

/** 6 digits from the CSPRNG, stored only as an HMAC; single use, expiring, with a limited number of tries. */
export function createOtp(deps: {
  db: Knex;
  notifier: Notifier;
  clock: Clock;
  settings: OtpSettings;
  /** server secret for the code HMAC, so a database dump does not reveal codes */
  hmacKey: string;
}): Otp {
  const repo = createOtpRepo(deps.db);
  const hashOf = (id: string, code: string) =>
    createHmac('sha256', deps.hmacKey).update(`${id}:${code}`).digest('base64url');

  return {
    async resendWait(binding, purpose) {
      const last = await repo.latest(binding, purpose);
      if (!last) return 0;
      const wait = last.createdAt + deps.settings.resendSeconds * 1000 - deps.clock.now();
      return wait > 0 ? Math.ceil(wait / 1000) : 0;
    },

    async issue(req, trx) {
      // One read gives both the resend wait and the tries already spent.
      const last = await repo.latest(req.binding, req.purpose, trx);
      const now = deps.clock.now();
      const wait = last ? last.createdAt + deps.settings.resendSeconds * 1000 - now : 0;
      if (wait > 0) throw new ResendTooSoon(Math.ceil(wait / 1000));
      // Wrong tries carry over to the new code: resending does not reset the count (checklist 7).
      const spent = last?.attempts ?? 0;
      if (spent >= deps.settings.maxAttempts) throw new CodeVoid();
      const id = randomBytes(24).toString('base64url');
      const code = newCode(req.long === true);
      const expiresAt = now + deps.settings.ttlSeconds * 1000;
      const store = async (t: Knex) => {
        // Only the newest code can be open (each issue voids the others): nothing to void when it is not.
        if (last && last.consumedAt === null) await repo.voidOpen(req.binding, req.purpose, now, t);
        await repo.insert(
          {
            id,
            purpose: req.purpose,
            binding: req.binding,
            subject: req.subject,
            channel: req.channel,
            codeHash: hashOf(id, code),
            attempts: spent,
            maxAttempts: deps.settings.maxAttempts,
            createdAt: now,
            expiresAt,
            consumedAt: null,
          },
          t,
        );
      };
      if (trx) await store(trx);
      else await deps.db.transaction(store);
      const minutes = Math.round(deps.settings.ttlSeconds / 60);
      const issued = { expiresAt, resendAt: now + deps.settings.resendSeconds * 1000 };
      const send = async () => {
        const msg = req.message(shown(code), minutes, req.channel);
        try {
          if (req.channel === 'sms') await deps.notifier.sendSms({ to: req.to, text: msg.text });
          else await deps.notifier.sendEmail({ to: req.to, subject: msg.subject, text: msg.text });
        } catch (err) {
          // Undelivered: forget the code so the person may ask again at once.
          await repo.remove(id);
          throw err;
        }
      };
      if (req.deliver === false) return issued;
      if (req.deliver === 'later') return { ...issued, deliver: send };
      await send();
      return issued;
    },

    async verify(req) {
      const checked = await this.check(req);
      await checked.consume(deps.db);
      return { subject: checked.subject, channel: checked.channel };
    },

    async check({ purpose, binding, code }) {
      const now = deps.clock.now();
      const rec = await repo.latest(binding, purpose);
      if (!rec || rec.consumedAt !== null || rec.expiresAt <= now) throw new CodeExpired();
      if (rec.attempts >= rec.maxAttempts) throw new CodeVoid();
      const given = Buffer.from(hashOf(rec.id, code.trim()));
      const expected = Buffer.from(rec.codeHash);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        // Each try takes one of the code's tries atomically (a right one in consume): parallel guesses
        // past the limit are answered as an expired code, right or wrong.
        if (!(await repo.countAttempt(rec.id, now))) throw new CodeExpired();
        const remaining = rec.maxAttempts - rec.attempts - 1;
        if (remaining <= 0) throw new CodeVoid(true);
        throw new CodeInvalid(remaining);
      }
      return {
        subject: rec.subject,
        channel: rec.channel,
        async consume(trx) {
          if (!(await repo.consume(rec.id, now, trx))) throw new CodeExpired();
        },
      };
    },

    purgeExpired: () => repo.purgeExpired(deps.clock.now()),
  };
}
