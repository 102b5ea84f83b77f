import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { FlowsRepo } from '../flows/flowsRepo.js';
import { newFlowHandle } from '../flows/flowsRepo.js';
import type { Notifier } from '../notify/index.js';
import type { Otp, OtpChannel } from '../otp/index.js';
import { checkNationalId, type RegistryPerson, type RegistryRepo } from '../registry/index.js';
import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import {
  AccountDisabled,
  AccountLocked,
  AccountSuspended,
  BadCredentials,
  CodeInvalid,
  CodeVoid,
  HawiyaError,
  InvalidInput,
  TooManyAttempts,
} from '../shared/errors.js';
import { maskEmail, maskPhone } from '../shared/logger.js';
import { type Limit, type Throttle, throttleKey } from '../throttle/createThrottle.js';
import { type Account, createAccountsRepo } from './accountsRepo.js';
import { afterFailure, type Gate, loginGate, type ThrottleSettings } from './loginPolicy.js';
import type { PasswordHasher } from './passwordHasher.js';
import { checkNewPassword } from './passwordPolicy.js';
import type { RequestMeta } from './requestMeta.js';
import { parseUsername } from './username.js';

export type Locale = 'ar' | 'en';

/** Renders a code message in the person's language (supplied by the http layer's catalogue). */
export type CodeMessage = (
  purpose: 'activation' | 'login' | 'reset',
  locale: Locale,
) => (code: string, minutes: number, channel: OtpChannel) => { subject: string; text: string };

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
  noticeMessage: (kind: 'password_changed', locale: Locale) => { subject: string; text: string };
  settings: ThrottleSettings & {
    ipLimit: number;
    ipWindowSeconds: number;
    subjectLimit: number;
    otpTtlSeconds: number;
    /** secret for decoy answers */
    decoyKey: string;
  };
  /** Ends every session, grant and token of an account (the OIDC layer provides it). */
  revokeSessions(accountId: string): Promise<number>;
}

interface RegistrationFlow {
  tx: string;
  nationalId: string;
  username: string;
  passwordHash: string;
  email: string | null;
  returnTo: string | null;
}

interface ResetFlow {
  /** a reset for someone without an account: it looks and answers the same, but no code is sent */
  decoy?: boolean;
  tx: string;
  accountId: string;
  nationalId: string;
  verified: boolean;
  returnTo: string | null;
}

export interface LoginStart {
  account: Account;
  person: RegistryPerson;
}

/** How long failures of an unknown identifier are remembered: long enough to reach the disabling count. */
const UNKNOWN_MEMORY_SECONDS = 7 * 86400;

export class RegistrationMismatch extends HawiyaError {
  constructor() {
    super('registration_mismatch', 400);
  }
}

function checkedId(input: string): string {
  const r = checkNationalId(input);
  if (!r.ok) throw new InvalidInput(`national_id_${r.reason}`, 'nationalId');
  return r.nationalId;
}

function checkedDate(input: string): string {
  const d = input.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
    throw new InvalidInput('birth_date_invalid', 'birthDate');
  }
  return d;
}

function checkedEmail(input: string | undefined): string | null {
  const e = (input ?? '').trim();
  if (!e) return null;
  if (e.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e))
    throw new InvalidInput('email_invalid', 'email');
  return e;
}

export function createAccounts(deps: AccountsDeps) {
  const repo = createAccountsRepo(deps.db);
  const s = deps.settings;
  const ipLimit: Limit = { limit: s.ipLimit, windowSeconds: s.ipWindowSeconds };
  const subjectLimit: Limit = { limit: s.subjectLimit, windowSeconds: s.ipWindowSeconds };
  const flowTtl = s.otpTtlSeconds * 3;

  async function passwordProblem(password: string, username: string, nationalId: string): Promise<void> {
    const r = checkNewPassword({ password, username, nationalId });
    if (!r.ok)
      throw new InvalidInput(`password_${r.problem}`, 'password', { min: r.min ?? 8, max: r.max ?? 256 });
  }

  async function sendCode(opts: {
    purpose: 'activation' | 'login' | 'reset';
    tx: string;
    subject: string;
    channel: OtpChannel;
    to: string;
    locale: Locale;
    meta: RequestMeta;
    accountId?: string;
    nationalId?: string;
  }) {
    const recordCode = (event: 'code_sent' | 'code_delivery_failed') =>
      deps.audit.record({
        event,
        accountId: opts.accountId,
        nationalId: opts.nationalId,
        ip: opts.meta.ip,
        requestId: opts.meta.requestId,
        factor: opts.channel,
        details: { purpose: opts.purpose },
      });
    try {
      const issued = await deps.otp.issue({
        purpose: opts.purpose,
        binding: opts.tx,
        subject: opts.subject,
        channel: opts.channel,
        to: opts.to,
        message: deps.codeMessage(opts.purpose, opts.locale),
      });
      await recordCode('code_sent');
      return issued;
    } catch (err) {
      if (err instanceof HawiyaError && err.code === 'delivery_failed')
        await recordCode('code_delivery_failed');
      throw err;
    }
  }

  /** The reset code went by SMS: the notice goes by e-mail when there is an address, else by SMS. */
  async function notifyPasswordChanged(account: Account, locale: Locale, meta: RequestMeta): Promise<void> {
    const person = await deps.registry.find(account.nationalId);
    const email = account.email ?? person?.email ?? null;
    const msg = deps.noticeMessage('password_changed', locale);
    try {
      if (email) await deps.notifier.sendEmail({ to: email, subject: msg.subject, text: msg.text });
      else if (person) await deps.notifier.sendSms({ to: person.mobile, text: msg.text });
    } catch {
      // The password is changed either way; a lost notice is recorded, not shown as a failure.
      await deps.audit.record({
        event: 'code_delivery_failed',
        accountId: account.id,
        ip: meta.ip,
        requestId: meta.requestId,
        factor: email ? 'email' : 'sms',
        details: { purpose: 'password_changed_notice' },
      });
    }
  }

  /** Same answer whatever the cause, so registration reveals nothing more about the registry. */
  async function refuseRegistration(nationalId: string, meta: RequestMeta, why: string): Promise<never> {
    await deps.audit.record({
      event: 'registration_rejected',
      nationalId,
      ip: meta.ip,
      requestId: meta.requestId,
      details: { why },
    });
    throw new RegistrationMismatch();
  }

  /**
   * Activation and reset codes: each new transaction brings 5 fresh tries, so wrong codes are also counted
   * per national ID across transactions, and at the 100th in a row that ID's codes are refused (NIST
   * 800-63B-4: at most 100 consecutive failures) until an administrator or 30 days clear it.
   */
  async function verifyCounted<T>(nationalId: string, verify: () => Promise<T>): Promise<T> {
    const key = throttleKey('codes', 'nid', nationalId);
    const limit = { limit: s.disableAfter, windowSeconds: 30 * 86400 };
    if ((await deps.throttle.count(key)) >= s.disableAfter) throw new HawiyaError('codes_blocked', 423);
    try {
      const result = await verify();
      await deps.throttle.reset(key);
      return result;
    } catch (err) {
      if (err instanceof CodeInvalid || (err instanceof CodeVoid && err.wrongGuess)) {
        await deps.throttle.consume(key, { ...limit, limit: Number.MAX_SAFE_INTEGER });
      }
      throw err;
    }
  }

  /** A stable, made-up masked number for a decoy reset (keyed, so it cannot be told from a real one). */
  function decoyMask(nationalId: string): string {
    const digits =
      createHmac('sha256', deps.settings.decoyKey).update(nationalId).digest().readUInt16BE(0) % 100;
    return `05******${String(digits).padStart(2, '0')}`;
  }

  /** One spelling per identifier (ASCII digits, NFKC, lower case): what lookups and counters are keyed on. */
  function canonicalIdentifier(identifier: string): { kind: 'nid' | 'username' | 'other'; value: string } {
    const id = checkNationalId(identifier);
    if (id.ok) return { kind: 'nid', value: id.nationalId };
    try {
      return { kind: 'username', value: parseUsername(identifier) };
    } catch {
      return { kind: 'other', value: identifier.normalize('NFKC').toLowerCase() };
    }
  }

  async function findForLogin(identifier: string): Promise<Account | undefined> {
    const canonical = canonicalIdentifier(identifier);
    if (canonical.kind === 'nid') return repo.findByNationalId(canonical.value);
    if (canonical.kind === 'username') return repo.findByUsername(canonical.value);
    return undefined;
  }

  async function registerFailure(account: Account, meta: RequestMeta, factor: string): Promise<void> {
    const failures = await repo.addFailure(account.id);
    const next = afterFailure(failures, deps.clock.now(), s);
    if (next.action === 'disable') {
      await repo.setLock(account.id, null, 'disabled');
      await deps.revokeSessions(account.id);
      await deps.audit.record({
        event: 'account_disabled',
        accountId: account.id,
        ip: meta.ip,
        factor,
        details: { failures },
      });
    } else if (next.action === 'lock') {
      await repo.setLock(account.id, next.untilMs);
      await deps.audit.record({
        event: 'account_locked',
        accountId: account.id,
        ip: meta.ip,
        factor,
        details: { failures },
      });
    } else if (next.action === 'delay') {
      await repo.setLock(account.id, next.untilMs);
    }
  }

  /** Before the password: throttling only, so an administrator's lock tells nothing to someone without it. */
  function gate(account: Account, opts: { passwordChecked: boolean } = { passwordChecked: true }): void {
    if (account.status === 'locked' && opts.passwordChecked) throw new AccountSuspended();
    refuseUnless(
      loginGate({
        failures: account.failedLogins,
        lockedUntil: account.lockedUntil,
        disabled: account.status === 'disabled',
        now: deps.clock.now(),
      }),
    );
  }

  function refuseUnless(g: Gate): void {
    if (g.allowed) return;
    if (g.reason === 'disabled') throw new AccountDisabled();
    if (g.retryAfterSeconds > 60) throw new AccountLocked(Math.ceil(g.retryAfterSeconds / 60));
    throw new TooManyAttempts(g.retryAfterSeconds);
  }

  /**
   * Unknown identifiers go through the same delays, locks and disabling as accounts (after the same
   * hashing work), so neither the answer nor the throttling tells who has an account (checklist 8).
   */
  async function unknownFailure(identifier: string, password: string): Promise<void> {
    const now = deps.clock.now();
    const disabled = await deps.throttle.peek(throttleKey('login', 'unknown-off', identifier));
    const hold = await deps.throttle.peek(throttleKey('login', 'unknown-hold', identifier));
    refuseUnless(
      loginGate({ failures: 0, lockedUntil: hold?.expiresAt ?? null, disabled: disabled !== undefined, now }),
    );
    await deps.hasher.burn(password);
    const forever = { limit: Number.MAX_SAFE_INTEGER, windowSeconds: UNKNOWN_MEMORY_SECONDS };
    const failures = await deps.throttle.consume(throttleKey('login', 'unknown', identifier), forever);
    const next = afterFailure(failures, now, s);
    if (next.action === 'disable') {
      await deps.throttle.consume(throttleKey('login', 'unknown-off', identifier), forever);
    } else if (next.action !== 'none') {
      const windowSeconds = Math.max(1, Math.ceil((next.untilMs - now) / 1000));
      await deps.throttle.consume(throttleKey('login', 'unknown-hold', identifier), {
        limit: Number.MAX_SAFE_INTEGER,
        windowSeconds,
      });
    }
  }

  return {
    repo,

    async findById(id: string): Promise<Account | undefined> {
      return repo.findById(id);
    },

    async personOf(account: Account): Promise<RegistryPerson | undefined> {
      return deps.registry.find(account.nationalId);
    },

    /** Step 1 of registration: checks everything, then sends the activation code to the registry's mobile. */
    async startRegistration(input: {
      nationalId: string;
      birthDate: string;
      username: string;
      password: string;
      email?: string;
      locale: Locale;
      returnTo?: string | null;
      meta: RequestMeta;
    }): Promise<{ handle: string; maskedMobile: string; resendAt: number }> {
      const nationalId = checkedId(input.nationalId);
      const birthDate = checkedDate(input.birthDate);
      const username = parseUsername(input.username);
      const email = checkedEmail(input.email);
      await passwordProblem(input.password, username, nationalId);
      await deps.throttle.consume(throttleKey('register', 'ip', input.meta.ip), ipLimit);
      await deps.throttle.consume(throttleKey('register', 'nid', nationalId), subjectLimit);

      const person = await deps.registry.find(nationalId);
      if (!person || person.birthDate !== birthDate)
        return refuseRegistration(nationalId, input.meta, 'no_match');
      if (person.status !== 'living') return refuseRegistration(nationalId, input.meta, 'not_living');
      if (await repo.findByNationalId(nationalId))
        return refuseRegistration(nationalId, input.meta, 'has_account');
      if (await repo.findByUsername(username)) throw new InvalidInput('username_taken', 'username');

      const handle = newFlowHandle();
      const flow: RegistrationFlow = {
        tx: randomBytes(18).toString('base64url'),
        nationalId,
        username,
        passwordHash: await deps.hasher.hash(input.password),
        email,
        returnTo: input.returnTo ?? null,
      };
      await deps.flows.save('register', handle, flow, flowTtl);
      await deps.audit.record({
        event: 'registration_started',
        nationalId,
        ip: input.meta.ip,
        requestId: input.meta.requestId,
      });
      const issued = await sendCode({
        purpose: 'activation',
        tx: flow.tx,
        subject: nationalId,
        channel: 'sms',
        to: person.mobile,
        locale: input.locale,
        meta: input.meta,
        nationalId,
      });
      return { handle, maskedMobile: maskPhone(person.mobile), resendAt: issued.resendAt };
    },

    async registrationState(
      handle: string | undefined,
    ): Promise<{ maskedMobile: string; returnTo: string | null }> {
      const flow = await deps.flows.get<RegistrationFlow>('register', handle);
      const person = await deps.registry.find(flow.nationalId);
      return { maskedMobile: maskPhone(person?.mobile ?? ''), returnTo: flow.returnTo };
    },

    async resendActivation(input: {
      handle: string | undefined;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<void> {
      const flow = await deps.flows.get<RegistrationFlow>('register', input.handle);
      const person = await deps.registry.find(flow.nationalId);
      if (!person) throw new RegistrationMismatch();
      await deps.throttle.consume(throttleKey('register', 'nid', flow.nationalId), subjectLimit);
      await sendCode({
        purpose: 'activation',
        tx: flow.tx,
        subject: flow.nationalId,
        channel: 'sms',
        to: person.mobile,
        locale: input.locale,
        meta: input.meta,
        nationalId: flow.nationalId,
      });
    },

    /** Step 2: the right code makes the account, active at once. */
    async activate(input: {
      handle: string | undefined;
      code: string;
      meta: RequestMeta;
    }): Promise<{ account: Account; returnTo: string | null }> {
      const flow = await deps.flows.get<RegistrationFlow>('register', input.handle);
      await verifyCounted(flow.nationalId, () =>
        deps.otp.verify({ purpose: 'activation', binding: flow.tx, code: input.code }),
      );
      const now = deps.clock.now();
      const account: Account = {
        id: randomUUID(),
        nationalId: flow.nationalId,
        username: flow.username,
        passwordHash: flow.passwordHash,
        email: flow.email,
        status: 'active',
        failedLogins: 0,
        lockedUntil: null,
        createdAt: now,
        activatedAt: now,
        passwordChangedAt: now,
      };
      try {
        await deps.db.transaction(async (trx) => {
          await repo.insert(account, trx);
          await deps.flows.remove(input.handle as string, trx);
        });
      } catch {
        // Someone registered the same ID or username meanwhile: the unique constraints said no.
        throw new RegistrationMismatch();
      }
      await deps.audit.record({
        event: 'account_activated',
        accountId: account.id,
        nationalId: account.nationalId,
        ip: input.meta.ip,
        requestId: input.meta.requestId,
        factor: 'sms',
      });
      return { account, returnTo: flow.returnTo };
    },

    /** First factor. Unknown people and wrong passwords get the same error, after the same work. */
    async checkPassword(input: {
      identifier: string;
      password: string;
      meta: RequestMeta;
    }): Promise<LoginStart> {
      await deps.throttle.consume(throttleKey('login', 'ip', input.meta.ip), ipLimit);
      const identifier = input.identifier.trim().slice(0, 64);
      const found = await findForLogin(identifier);
      // One password check at a time per account (or unknown identifier), across nodes.
      const key = throttleKey('login', 'inflight', found ? found.id : canonicalIdentifier(identifier).value);
      return deps.throttle.exclusive(key, async () => {
        const account = found ? await repo.findById(found.id) : undefined;
        const person = account ? await deps.registry.find(account.nationalId) : undefined;
        if (!account || !person) {
          await unknownFailure(canonicalIdentifier(identifier).value, input.password);
          await deps.audit.record({
            event: 'login_password_failed',
            ip: input.meta.ip,
            requestId: input.meta.requestId,
            factor: 'pwd',
            details: { known: false },
          });
          throw new BadCredentials();
        }
        gate(account, { passwordChecked: false });
        const ok = await deps.hasher.verify(account.passwordHash, input.password);
        if (!ok) {
          await registerFailure(account, input.meta, 'pwd');
          await deps.audit.record({
            event: 'login_password_failed',
            accountId: account.id,
            ip: input.meta.ip,
            requestId: input.meta.requestId,
            factor: 'pwd',
          });
          throw new BadCredentials();
        }
        if (person.status !== 'living') throw new AccountDisabled();
        gate(account);
        if (deps.hasher.needsRehash(account.passwordHash)) {
          await repo.setPasswordHash(account.id, await deps.hasher.hash(input.password));
        }
        await deps.audit.record({
          event: 'login_password_ok',
          accountId: account.id,
          ip: input.meta.ip,
          requestId: input.meta.requestId,
          factor: 'pwd',
        });
        return { account, person };
      });
    },

    /** Second factor: sends a login code bound to this login transaction. */
    async sendLoginCode(input: {
      accountId: string;
      tx: string;
      channel: OtpChannel;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<{ maskedTo: string; resendAt: number }> {
      const account = await repo.findById(input.accountId);
      const person = account ? await deps.registry.find(account.nationalId) : undefined;
      if (!account || !person) throw new BadCredentials();
      gate(account);
      // The address on the account, else the registry's (both belong to the person; neither is typed now).
      const to = input.channel === 'sms' ? person.mobile : (account.email ?? person.email);
      if (!to) throw new InvalidInput('no_email_on_file');
      const issued = await sendCode({
        purpose: 'login',
        tx: input.tx,
        subject: account.id,
        channel: input.channel,
        to,
        locale: input.locale,
        meta: input.meta,
        accountId: account.id,
      });
      return { maskedTo: input.channel === 'sms' ? maskPhone(to) : maskEmail(to), resendAt: issued.resendAt };
    },

    async verifyLoginCode(input: {
      accountId: string;
      tx: string;
      code: string;
      meta: RequestMeta;
    }): Promise<{ channel: OtpChannel }> {
      return deps.throttle.exclusive(throttleKey('login', 'inflight', input.accountId), async () => {
        const account = await repo.findById(input.accountId);
        if (!account) throw new BadCredentials();
        gate(account);
        try {
          const r = await deps.otp.verify({ purpose: 'login', binding: input.tx, code: input.code });
          if (r.subject !== account.id) throw new BadCredentials();
          await repo.clearFailures(account.id);
          return { channel: r.channel };
        } catch (err) {
          if (err instanceof HawiyaError && err.code !== 'bad_credentials') {
            await registerFailure(account, input.meta, 'otp');
            await deps.audit.record({
              event: 'login_code_failed',
              accountId: account.id,
              ip: input.meta.ip,
              requestId: input.meta.requestId,
              factor: 'otp',
              details: { reason: err.code },
            });
          }
          throw err;
        }
      });
    },

    /** Forgot password, step 1: national ID + birth date; the code goes to the registry's mobile. */
    async startReset(input: {
      nationalId: string;
      birthDate: string;
      locale: Locale;
      returnTo?: string | null;
      meta: RequestMeta;
    }): Promise<{ handle: string; maskedMobile: string }> {
      const nationalId = checkedId(input.nationalId);
      const birthDate = checkedDate(input.birthDate);
      await deps.throttle.consume(throttleKey('reset', 'ip', input.meta.ip), ipLimit);
      await deps.throttle.consume(throttleKey('reset', 'nid', nationalId), subjectLimit);
      const person = await deps.registry.find(nationalId);
      const account = await repo.findByNationalId(nationalId);
      const handle = newFlowHandle();
      if (!person || person.birthDate !== birthDate || person.status !== 'living' || !account) {
        // Same page, same code step, same answers as a real reset (checklist 8): whether this person has an
        // account is not told to whoever knows their ID and birth date. Nothing is sent.
        const decoy: ResetFlow = {
          decoy: true,
          tx: randomBytes(18).toString('base64url'),
          accountId: '',
          nationalId,
          verified: false,
          returnTo: input.returnTo ?? null,
        };
        await deps.flows.save('reset', handle, decoy, flowTtl);
        await deps.otp.issue({
          purpose: 'reset',
          binding: decoy.tx,
          subject: nationalId,
          channel: 'sms',
          to: '',
          deliver: false,
          message: deps.codeMessage('reset', input.locale),
        });
        await deps.audit.record({
          event: 'password_reset_started',
          nationalId,
          ip: input.meta.ip,
          details: { matched: false },
        });
        return { handle, maskedMobile: decoyMask(nationalId) };
      }
      const flow: ResetFlow = {
        tx: randomBytes(18).toString('base64url'),
        accountId: account.id,
        nationalId,
        verified: false,
        returnTo: input.returnTo ?? null,
      };
      await deps.flows.save('reset', handle, flow, flowTtl);
      await deps.audit.record({
        event: 'password_reset_started',
        accountId: account.id,
        nationalId,
        ip: input.meta.ip,
        details: { matched: true },
      });
      await sendCode({
        purpose: 'reset',
        tx: flow.tx,
        subject: account.id,
        channel: 'sms',
        to: person.mobile,
        locale: input.locale,
        meta: input.meta,
        accountId: account.id,
      });
      return { handle, maskedMobile: maskPhone(person.mobile) };
    },

    async resetState(handle: string | undefined): Promise<{ verified: boolean; maskedMobile: string }> {
      const flow = await deps.flows.get<ResetFlow>('reset', handle);
      if (flow.decoy) return { verified: flow.verified, maskedMobile: decoyMask(flow.nationalId) };
      const person = await deps.registry.find(flow.nationalId);
      return { verified: flow.verified, maskedMobile: maskPhone(person?.mobile ?? '') };
    },

    async resendReset(input: {
      handle: string | undefined;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<void> {
      const flow = await deps.flows.get<ResetFlow>('reset', input.handle);
      await deps.throttle.consume(throttleKey('reset', 'nid', flow.nationalId), subjectLimit);
      if (flow.decoy && !flow.verified) {
        await deps.otp.issue({
          purpose: 'reset',
          binding: flow.tx,
          subject: flow.nationalId,
          channel: 'sms',
          to: '',
          deliver: false,
          message: deps.codeMessage('reset', input.locale),
        });
        return;
      }
      const person = await deps.registry.find(flow.nationalId);
      if (!person || flow.verified) throw new RegistrationMismatch();
      await sendCode({
        purpose: 'reset',
        tx: flow.tx,
        subject: flow.accountId,
        channel: 'sms',
        to: person.mobile,
        locale: input.locale,
        meta: input.meta,
        accountId: flow.accountId,
      });
    },

    async verifyReset(input: { handle: string | undefined; code: string; meta: RequestMeta }): Promise<void> {
      const flow = await deps.flows.get<ResetFlow>('reset', input.handle);
      await verifyCounted(flow.nationalId, () =>
        deps.otp.verify({ purpose: 'reset', binding: flow.tx, code: input.code }),
      );
      await deps.flows.update('reset', input.handle as string, { ...flow, verified: true });
    },

    /** Step 3: the new password; every session and refresh token of the person ends. */
    /**
     * A signed-in person changes their password: the current one is required (and counted like a login
     * failure when wrong), the new one is checked by the policy, every session and token ends, and a
     * notice goes out over another channel.
     */
    async changePassword(input: {
      accountId: string;
      current: string;
      password: string;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<void> {
      await deps.throttle.exclusive(throttleKey('login', 'inflight', input.accountId), async () => {
        const account = await repo.findById(input.accountId);
        if (!account) throw new BadCredentials();
        gate(account);
        if (!(await deps.hasher.verify(account.passwordHash, input.current))) {
          await registerFailure(account, input.meta, 'pwd');
          throw new InvalidInput('current_password_wrong', 'current');
        }
        await passwordProblem(input.password, account.username, account.nationalId);
        await repo.setPasswordHash(account.id, await deps.hasher.hash(input.password), deps.clock.now());
        await repo.clearFailures(account.id);
        const revoked = await deps.revokeSessions(account.id);
        await deps.audit.record({
          event: 'password_changed',
          accountId: account.id,
          ip: input.meta.ip,
          requestId: input.meta.requestId,
          details: { via: 'account', sessionsRevoked: revoked },
        });
        await notifyPasswordChanged(account, input.locale, input.meta);
      });
    },

    async completeReset(input: {
      handle: string | undefined;
      password: string;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<{ returnTo: string | null }> {
      const flow = await deps.flows.get<ResetFlow>('reset', input.handle);
      if (!flow.verified) throw new InvalidInput('code_required');
      const account = await repo.findById(flow.accountId);
      if (!account) throw new RegistrationMismatch();
      await passwordProblem(input.password, account.username, account.nationalId);
      const hash = await deps.hasher.hash(input.password);
      await deps.db.transaction(async (trx) => {
        await repo.setPasswordHash(account.id, hash, deps.clock.now(), trx);
        await repo.clearFailures(account.id, trx);
        if (account.status === 'disabled') await repo.setStatus(account.id, 'active', trx);
        await deps.flows.remove(input.handle as string, trx);
      });
      const revoked = await deps.revokeSessions(account.id);
      await deps.audit.record({
        event: 'password_changed',
        accountId: account.id,
        ip: input.meta.ip,
        requestId: input.meta.requestId,
        details: { via: 'reset' },
      });
      await deps.audit.record({
        event: 'sessions_revoked',
        accountId: account.id,
        ip: input.meta.ip,
        details: { count: revoked },
      });
      await notifyPasswordChanged(account, input.locale, input.meta);
      return { returnTo: flow.returnTo };
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
