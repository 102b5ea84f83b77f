import { randomBytes, randomUUID } from 'node:crypto';
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
  CodeExpired,
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

/** Notices (not codes), each bilingual in the message catalogue. */
export type NoticeKind = 'password_changed' | 'already_registered' | 'codes_blocked' | 'account_disabled';

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
  noticeMessage: (kind: NoticeKind, locale: Locale) => { subject: string; text: string };
  settings: ThrottleSettings & {
    ipLimit: number;
    ipWindowSeconds: number;
    subjectLimit: number;
    otpTtlSeconds: number;
  };
  /** Ends every session, grant and token of an account (the OIDC layer provides it). */
  revokeSessions(accountId: string): Promise<number>;
}

interface RegistrationFlow {
  /**
   * no code is sent (the details match no living person without an account): it looks and answers the
   * same as a real registration, and no code of it is ever accepted
   */
  decoy?: boolean;
  /** this ID's 6-digit codes are blocked: the flow's codes are long ones */
  long?: boolean;
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
  /** this ID's 6-digit codes are blocked: the flow's codes are long ones */
  long?: boolean;
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
/** How long wrong activation/reset codes of a national ID add up. */
const CODES_MEMORY_SECONDS = 30 * 86400;
/** A count without a limit: consume() adds one and never refuses. */
const COUNT_ONLY = Number.MAX_SAFE_INTEGER;

/** Who asked, as the audit trail records it. */
function who(meta: RequestMeta): { ip: string; userAgent: string | null; requestId: string | null } {
  return { ip: meta.ip, userAgent: meta.userAgent || null, requestId: meta.requestId ?? null };
}

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

  // Work done after the answer (code delivery, notices), so that an answer takes the same time whoever
  // asked (checklist 8). It starts on a timer: after the request's remaining promise work (all of it on
  // SQLite; on PostgreSQL it may overlap the last queries' network waits, not their CPU). Errors are
  // recorded inside each job (code_delivery_failed). Tracked, so that a shutdown can wait for it.
  const pending = new Set<Promise<void>>();
  function later(work: () => Promise<void>): void {
    const job: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(work)
      .catch(() => undefined)
      .finally(() => pending.delete(job));
    pending.add(job);
  }

  async function passwordProblem(password: string, username: string, nationalId: string): Promise<void> {
    const r = checkNewPassword({ password, username, nationalId });
    if (!r.ok)
      throw new InvalidInput(`password_${r.problem}`, 'password', { min: r.min ?? 8, max: r.max ?? 256 });
  }

  /** consume(), with a refusal recorded in the audit trail (checklist 43). */
  async function limited(
    what: { action: 'login' | 'register' | 'reset' | 'codes'; by: 'ip' | 'nid' },
    subject: string,
    limit: Limit,
    meta: RequestMeta,
  ): Promise<void> {
    try {
      await deps.throttle.consume(throttleKey(what.action, what.by, subject), limit);
    } catch (err) {
      if (err instanceof TooManyAttempts)
        await recordThrottled(what, meta, err, { nationalId: what.by === 'nid' ? subject : undefined });
      throw err;
    }
  }

  async function recordThrottled(
    what: { action: 'login' | 'register' | 'reset' | 'codes'; by: string },
    meta: RequestMeta,
    err: HawiyaError,
    subject: { accountId?: string; nationalId?: string } = {},
  ): Promise<void> {
    await deps.audit.record({
      event: what.action === 'login' ? 'login_throttled' : 'attempt_throttled',
      accountId: subject.accountId,
      nationalId: subject.nationalId,
      ...who(meta),
      details: { action: what.action, by: what.by, reason: err.code, ...err.params },
    });
  }

  function recordCode(
    event: 'code_sent' | 'code_delivery_failed',
    opts: {
      purpose: string;
      channel: OtpChannel;
      meta: RequestMeta;
      accountId?: string;
      nationalId?: string;
    },
  ): Promise<void> {
    return deps.audit.record({
      event,
      accountId: opts.accountId,
      nationalId: opts.nationalId,
      ...who(opts.meta),
      factor: opts.channel,
      details: { purpose: opts.purpose },
    });
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
    try {
      const issued = await deps.otp.issue({
        purpose: opts.purpose,
        binding: opts.tx,
        subject: opts.subject,
        channel: opts.channel,
        to: opts.to,
        message: deps.codeMessage(opts.purpose, opts.locale),
      });
      await recordCode('code_sent', opts);
      return issued;
    } catch (err) {
      if (err instanceof HawiyaError && err.code === 'delivery_failed')
        await recordCode('code_delivery_failed', opts);
      throw err;
    }
  }

  /**
   * An activation or reset code, the same work whoever asked: the code is stored for a real request and a
   * decoy alike, and sent (to the registry's mobile) after the answer, so neither the answer nor its time
   * tells whether a person has an account or typed the right birth date (checklist 8). An undelivered code
   * is forgotten, so "send a new code" works at once. While the ID's 6-digit codes are blocked, the code is
   * a long one: whoever holds the registry's mobile can still recover (checklist 7).
   */
  async function issueFlowCode(opts: {
    purpose: 'activation' | 'reset';
    tx: string;
    subject: string;
    nationalId: string;
    /** the registry's mobile; null for a decoy (nothing is sent) */
    to: string | null;
    locale: Locale;
    meta: RequestMeta;
    accountId?: string;
  }): Promise<{ long: boolean }> {
    const long = await codesBlocked(opts.nationalId);
    const issued = await deps.otp.issue({
      purpose: opts.purpose,
      binding: opts.tx,
      subject: opts.subject,
      channel: 'sms',
      to: opts.to ?? '',
      long,
      deliver: opts.to ? 'later' : false,
      message: deps.codeMessage(opts.purpose, opts.locale),
    });
    const deliver = issued.deliver;
    if (deliver) {
      const audited = { ...opts, channel: 'sms' as const };
      later(async () => {
        try {
          await deliver();
          await recordCode('code_sent', audited);
        } catch {
          await recordCode('code_delivery_failed', audited);
        }
      });
    }
    return { long };
  }

  /**
   * A notice to the person, sent after the answer: by e-mail when there is an address (the account's, else
   * the registry's), else by SMS to the registry's mobile. A lost notice is recorded, not shown.
   */
  function notifyPerson(opts: {
    nationalId: string;
    account?: Account;
    kind: NoticeKind;
    locale: Locale;
    meta: RequestMeta;
    /** SMS to the registry's mobile even when there is an e-mail address */
    sms?: boolean;
  }): void {
    later(async () => {
      const person = await deps.registry.find(opts.nationalId);
      if (person?.status !== 'living') return;
      const email = opts.sms ? null : (opts.account?.email ?? person.email ?? null);
      const msg = deps.noticeMessage(opts.kind, opts.locale);
      try {
        if (email) await deps.notifier.sendEmail({ to: email, subject: msg.subject, text: msg.text });
        else await deps.notifier.sendSms({ to: person.mobile, text: msg.text });
      } catch {
        await deps.audit.record({
          event: 'code_delivery_failed',
          accountId: opts.account?.id,
          nationalId: opts.nationalId,
          ...who(opts.meta),
          factor: email ? 'email' : 'sms',
          details: { purpose: `${opts.kind}_notice` },
        });
      }
    });
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
        ...who(meta),
        factor: email ? 'email' : 'sms',
        details: { purpose: 'password_changed_notice' },
      });
    }
  }

  const codesKey = (nationalId: string) => throttleKey('codes', 'nid', nationalId);

  /** Have 100 (LOGIN_DISABLE_AFTER) wrong activation/reset codes in a row been entered for this ID? */
  async function codesBlocked(nationalId: string): Promise<boolean> {
    return (await deps.throttle.count(codesKey(nationalId))) >= s.disableAfter;
  }

  /**
   * Activation and reset codes. Each new transaction brings 5 fresh tries, so wrong codes also add up:
   * - per national ID, across transactions: at the 100th in a row (NIST 800-63B-4: at most 100 consecutive
   *   failures) that ID's 6-digit codes are refused, the block is audited and the person notified. It is
   *   not a lock-out: from then on the ID's codes are long (about 78 bits, not guessable), so whoever holds
   *   the registry's mobile still activates or recovers, and a right code ends the block;
   * - per requester (IP): at most IP_LIMIT wrong codes a window, so one requester alone cannot reach the
   *   ID's limit in one window.
   */
  async function verifyCounted<T>(
    flow: { nationalId: string; long?: boolean },
    meta: RequestMeta,
    verify: () => Promise<T>,
  ): Promise<T> {
    const ipKey = throttleKey('codes', 'ip', meta.ip);
    const byIp = await deps.throttle.peek(ipKey);
    if (byIp && byIp.count >= s.ipLimit) {
      const err = new TooManyAttempts(Math.max(1, Math.ceil((byIp.expiresAt - deps.clock.now()) / 1000)));
      await recordThrottled({ action: 'codes', by: 'ip' }, meta, err);
      throw err;
    }
    const key = codesKey(flow.nationalId);
    if (!flow.long && (await codesBlocked(flow.nationalId))) {
      const err = new HawiyaError('codes_blocked', 423);
      await recordThrottled({ action: 'codes', by: 'nid' }, meta, err, { nationalId: flow.nationalId });
      throw err;
    }
    try {
      const result = await verify();
      await deps.throttle.reset(key);
      return result;
    } catch (err) {
      if (err instanceof CodeInvalid || (err instanceof CodeVoid && err.wrongGuess)) {
        await deps.throttle.consume(ipKey, { limit: COUNT_ONLY, windowSeconds: s.ipWindowSeconds });
        const failures = await deps.throttle.consume(key, {
          limit: COUNT_ONLY,
          windowSeconds: CODES_MEMORY_SECONDS,
        });
        if (failures === s.disableAfter) {
          await deps.audit.record({
            event: 'codes_blocked',
            nationalId: flow.nationalId,
            ...who(meta),
            factor: 'sms',
            details: { failures },
          });
          notifyPerson({ nationalId: flow.nationalId, kind: 'codes_blocked', locale: 'ar', meta, sms: true });
        }
      }
      throw err;
    }
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
        ...who(meta),
        factor,
        details: { failures },
      });
      // Not a lock-out: the person is told, and a reset (a code to the registry's mobile) restores it.
      notifyPerson({ nationalId: account.nationalId, account, kind: 'account_disabled', locale: 'ar', meta });
    } else if (next.action === 'lock') {
      await repo.setLock(account.id, next.untilMs);
      await deps.audit.record({
        event: 'account_locked',
        accountId: account.id,
        ...who(meta),
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

  /** Runs a login step; a refusal by a delay, lock or one-at-a-time hold is audited (checklist 43). */
  async function auditedLogin<T>(meta: RequestMeta, accountId: string | undefined, work: () => Promise<T>) {
    try {
      return await work();
    } catch (err) {
      if (err instanceof TooManyAttempts || err instanceof AccountLocked) {
        await recordThrottled({ action: 'login', by: accountId ? 'account' : 'identifier' }, meta, err, {
          accountId,
        });
      }
      throw err;
    }
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
    const forever = { limit: COUNT_ONLY, windowSeconds: UNKNOWN_MEMORY_SECONDS };
    const failures = await deps.throttle.consume(throttleKey('login', 'unknown', identifier), forever);
    const next = afterFailure(failures, now, s);
    if (next.action === 'disable') {
      await deps.throttle.consume(throttleKey('login', 'unknown-off', identifier), forever);
    } else if (next.action !== 'none') {
      const windowSeconds = Math.max(1, Math.ceil((next.untilMs - now) / 1000));
      await deps.throttle.consume(throttleKey('login', 'unknown-hold', identifier), {
        limit: COUNT_ONLY,
        windowSeconds,
      });
    }
  }

  return {
    repo,

    /** Resolves once the work started after earlier answers (code delivery, notices) has ended. */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },

    async findById(id: string): Promise<Account | undefined> {
      return repo.findById(id);
    },

    async personOf(account: Account): Promise<RegistryPerson | undefined> {
      return deps.registry.find(account.nationalId);
    },

    /**
     * Step 1 of registration. Whatever the registry and the accounts say, the answer is the same: the code
     * step (checklist 8). The outcome is told only through the registry's mobile: the activation code when
     * the details match a living person without an account; a notice "you already have an account" when
     * they match a person with one; nothing otherwise. A taken username is told after the right code.
     */
    async startRegistration(input: {
      nationalId: string;
      birthDate: string;
      username: string;
      password: string;
      email?: string;
      locale: Locale;
      returnTo?: string | null;
      meta: RequestMeta;
    }): Promise<{ handle: string }> {
      const nationalId = checkedId(input.nationalId);
      const birthDate = checkedDate(input.birthDate);
      const username = parseUsername(input.username);
      const email = checkedEmail(input.email);
      await passwordProblem(input.password, username, nationalId);
      await limited({ action: 'register', by: 'ip' }, input.meta.ip, ipLimit, input.meta);
      await limited({ action: 'register', by: 'nid' }, nationalId, subjectLimit, input.meta);

      const person = await deps.registry.find(nationalId);
      const existing = await repo.findByNationalId(nationalId);
      const matches = person?.birthDate === birthDate && person.status === 'living';
      const outcome = !matches ? 'no_match' : existing ? 'has_account' : 'code';
      const handle = newFlowHandle();
      const flow: RegistrationFlow = {
        tx: randomBytes(18).toString('base64url'),
        nationalId,
        username,
        // hashed on every path: the same work whoever asked
        passwordHash: await deps.hasher.hash(input.password),
        email,
        returnTo: input.returnTo ?? null,
      };
      if (outcome !== 'code') flow.decoy = true;
      const { long } = await issueFlowCode({
        purpose: 'activation',
        tx: flow.tx,
        subject: nationalId,
        nationalId,
        to: outcome === 'code' && person ? person.mobile : null,
        locale: input.locale,
        meta: input.meta,
      });
      flow.long = long;
      await deps.flows.save('register', handle, flow, flowTtl);
      await deps.audit.record({
        event: outcome === 'code' ? 'registration_started' : 'registration_rejected',
        nationalId,
        ...who(input.meta),
        details: outcome === 'code' ? {} : { why: outcome },
      });
      if (outcome === 'has_account')
        notifyPerson({
          nationalId,
          account: existing,
          kind: 'already_registered',
          locale: input.locale,
          meta: input.meta,
          sms: true,
        });
      return { handle };
    },

    async registrationState(handle: string | undefined): Promise<{ long: boolean; returnTo: string | null }> {
      const flow = await deps.flows.get<RegistrationFlow>('register', handle);
      return { long: flow.long === true, returnTo: flow.returnTo };
    },

    async resendActivation(input: {
      handle: string | undefined;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<void> {
      const flow = await deps.flows.get<RegistrationFlow>('register', input.handle);
      await limited({ action: 'register', by: 'nid' }, flow.nationalId, subjectLimit, input.meta);
      const person = flow.decoy ? undefined : await deps.registry.find(flow.nationalId);
      const { long } = await issueFlowCode({
        purpose: 'activation',
        tx: flow.tx,
        subject: flow.nationalId,
        nationalId: flow.nationalId,
        to: person?.mobile ?? null,
        locale: input.locale,
        meta: input.meta,
      });
      await deps.flows.update('register', input.handle as string, { ...flow, long });
    },

    /** Step 2: the right code makes the account, active at once. */
    async activate(input: {
      handle: string | undefined;
      code: string;
      meta: RequestMeta;
    }): Promise<{ account: Account; returnTo: string | null }> {
      const flow = await deps.flows.get<RegistrationFlow>('register', input.handle);
      await verifyCounted(flow, input.meta, () =>
        deps.otp.verify({ purpose: 'activation', binding: flow.tx, code: input.code }),
      );
      // A decoy's code reached no one: even a lucky guess makes nothing.
      if (flow.decoy) throw new CodeExpired();
      // Only the holder of the registry's mobile gets this far: telling them the username is taken is safe.
      if (await repo.findByUsername(flow.username))
        throw new InvalidInput('username_taken_register_again', 'code');
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
        ...who(input.meta),
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
      await limited({ action: 'login', by: 'ip' }, input.meta.ip, ipLimit, input.meta);
      const identifier = input.identifier.trim().slice(0, 64);
      const found = await findForLogin(identifier);
      // One password check at a time per account (or unknown identifier), across nodes.
      const key = throttleKey('login', 'inflight', found ? found.id : canonicalIdentifier(identifier).value);
      return auditedLogin(input.meta, found?.id, () =>
        deps.throttle.exclusive(key, async () => {
          const account = found ? await repo.findById(found.id) : undefined;
          const person = account ? await deps.registry.find(account.nationalId) : undefined;
          if (!account || !person) {
            await unknownFailure(canonicalIdentifier(identifier).value, input.password);
            await deps.audit.record({
              event: 'login_password_failed',
              ...who(input.meta),
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
              ...who(input.meta),
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
            ...who(input.meta),
            factor: 'pwd',
          });
          return { account, person };
        }),
      );
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
      return auditedLogin(input.meta, input.accountId, () =>
        deps.throttle.exclusive(throttleKey('login', 'inflight', input.accountId), async () => {
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
                ...who(input.meta),
                factor: 'otp',
                details: { reason: err.code },
              });
            }
            throw err;
          }
        }),
      );
    },

    /**
     * Forgot password, step 1: national ID + birth date. One path for everyone (checklist 8): the same
     * flow, the same code step, the same writes; the code goes to the registry's mobile, after the answer,
     * only when the details match a living person with an account. The code page shows no digits of the
     * number (a masked number would differ between a real reset and a decoy).
     */
    async startReset(input: {
      nationalId: string;
      birthDate: string;
      locale: Locale;
      returnTo?: string | null;
      meta: RequestMeta;
    }): Promise<{ handle: string }> {
      const nationalId = checkedId(input.nationalId);
      const birthDate = checkedDate(input.birthDate);
      await limited({ action: 'reset', by: 'ip' }, input.meta.ip, ipLimit, input.meta);
      await limited({ action: 'reset', by: 'nid' }, nationalId, subjectLimit, input.meta);
      const person = await deps.registry.find(nationalId);
      const found = await repo.findByNationalId(nationalId);
      const account = person?.birthDate === birthDate && person.status === 'living' ? found : undefined;
      const handle = newFlowHandle();
      const flow: ResetFlow = {
        tx: randomBytes(18).toString('base64url'),
        accountId: account?.id ?? '',
        nationalId,
        verified: false,
        returnTo: input.returnTo ?? null,
      };
      if (!account) flow.decoy = true;
      const { long } = await issueFlowCode({
        purpose: 'reset',
        tx: flow.tx,
        subject: account?.id ?? nationalId,
        nationalId,
        to: account && person ? person.mobile : null,
        locale: input.locale,
        meta: input.meta,
        accountId: account?.id,
      });
      flow.long = long;
      await deps.flows.save('reset', handle, flow, flowTtl);
      await deps.audit.record({
        event: 'password_reset_started',
        accountId: account?.id,
        nationalId,
        ...who(input.meta),
        details: { matched: account !== undefined },
      });
      return { handle };
    },

    async resetState(handle: string | undefined): Promise<{ verified: boolean; long: boolean }> {
      const flow = await deps.flows.get<ResetFlow>('reset', handle);
      return { verified: flow.verified, long: flow.long === true };
    },

    async resendReset(input: {
      handle: string | undefined;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<void> {
      const flow = await deps.flows.get<ResetFlow>('reset', input.handle);
      await limited({ action: 'reset', by: 'nid' }, flow.nationalId, subjectLimit, input.meta);
      if (flow.verified) throw new RegistrationMismatch();
      const person = flow.decoy ? undefined : await deps.registry.find(flow.nationalId);
      const { long } = await issueFlowCode({
        purpose: 'reset',
        tx: flow.tx,
        subject: flow.decoy ? flow.nationalId : flow.accountId,
        nationalId: flow.nationalId,
        to: person?.mobile ?? null,
        locale: input.locale,
        meta: input.meta,
        accountId: flow.decoy ? undefined : flow.accountId,
      });
      await deps.flows.update('reset', input.handle as string, { ...flow, long });
    },

    async verifyReset(input: { handle: string | undefined; code: string; meta: RequestMeta }): Promise<void> {
      const flow = await deps.flows.get<ResetFlow>('reset', input.handle);
      await verifyCounted(flow, input.meta, () =>
        deps.otp.verify({ purpose: 'reset', binding: flow.tx, code: input.code }),
      );
      // A decoy's code reached no one: even a lucky guess leads nowhere.
      if (flow.decoy) throw new CodeExpired();
      await deps.flows.update('reset', input.handle as string, { ...flow, verified: true });
    },

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
          ...who(input.meta),
          details: { via: 'account', sessionsRevoked: revoked },
        });
        await notifyPasswordChanged(account, input.locale, input.meta);
      });
    },

    /** Step 3: the new password; every session and refresh token of the person ends. */
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
        ...who(input.meta),
        details: { via: 'reset' },
      });
      await deps.audit.record({
        event: 'sessions_revoked',
        accountId: account.id,
        ...who(input.meta),
        details: { count: revoked },
      });
      await notifyPasswordChanged(account, input.locale, input.meta);
      return { returnTo: flow.returnTo };
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
