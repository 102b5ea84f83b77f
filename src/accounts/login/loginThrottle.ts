import type { Audit } from '../../shared/audit.js';
import type { Clock } from '../../shared/clock.js';
import { AccountDisabled, AccountLocked, AccountSuspended, TooManyAttempts } from '../../shared/errors.js';
import {
  type Counted,
  CountPassed,
  type Hold,
  type Throttle,
  throttleKey,
} from '../../throttle/createThrottle.js';
import type { RevokeSessions } from '../accountsDeps.js';
import type { Account, AccountsRepo } from '../accountsRepo.js';
import { type AttemptLimits, COUNT_ONLY } from '../attemptLimits.js';
import type { CodeDelivery } from '../codeDelivery.js';
import { afterFailure, type Gate, loginGate, type ThrottleSettings } from '../loginPolicy.js';
import type { PasswordHasher } from '../passwordHasher.js';
import { type RequestMeta, who } from '../requestMeta.js';

/** How long failures of an unknown identifier are remembered: long enough to reach the disabling count. */
const UNKNOWN_MEMORY_SECONDS = 7 * 86400;

function refuseUnless(g: Gate): void {
  if (g.allowed) return;
  if (g.reason === 'disabled') throw new AccountDisabled();
  if (g.retryAfterSeconds > 60) throw new AccountLocked(Math.ceil(g.retryAfterSeconds / 60));
  throw new TooManyAttempts(g.retryAfterSeconds);
}

/**
 * Consecutive failures of a login factor (password or code) and what they lead to: growing delays, a
 * temporary lock, disabling at the 100th (checklist 7); unknown identifiers go through the same.
 */
export function createLoginThrottle(deps: {
  repo: AccountsRepo;
  throttle: Throttle;
  hasher: PasswordHasher;
  audit: Audit;
  clock: Clock;
  settings: ThrottleSettings;
  revokeSessions: RevokeSessions;
  notifyPerson: CodeDelivery['notifyPerson'];
  recordThrottled: AttemptLimits['recordThrottled'];
}) {
  const s = deps.settings;

  async function registerFailure(account: Account, meta: RequestMeta, factor: string): Promise<void> {
    const failures = await deps.repo.addFailure(account.id);
    const next = afterFailure(failures, deps.clock.now(), s);
    if (next.action === 'disable') {
      await deps.repo.setLock(account.id, null, 'disabled');
      await deps.revokeSessions(account.id);
      await deps.audit.record({
        event: 'account_disabled',
        accountId: account.id,
        ...who(meta),
        factor,
        details: { failures },
      });
      // Not a lock-out: the person is told, and a reset (a code to the registry's mobile) restores it.
      deps.notifyPerson({
        nationalId: account.nationalId,
        account,
        kind: 'account_disabled',
        locale: 'ar',
        meta,
      });
    } else if (next.action === 'lock') {
      await deps.repo.setLock(account.id, next.untilMs);
      await deps.audit.record({
        event: 'account_locked',
        accountId: account.id,
        ...who(meta),
        factor,
        details: { failures },
      });
    } else if (next.action === 'delay') {
      await deps.repo.setLock(account.id, next.untilMs);
    }
  }

  /** A wrong password or code of a known account: counted (what that leads to, above), then audited. */
  async function refuseFactor(
    account: Account,
    meta: RequestMeta,
    failure: {
      event: 'login_password_failed' | 'login_code_failed';
      factor: string;
      details?: Record<string, unknown>;
    },
  ): Promise<void> {
    await registerFailure(account, meta, failure.factor);
    await deps.audit.record({
      event: failure.event,
      accountId: account.id,
      ...who(meta),
      factor: failure.factor,
      details: failure.details,
    });
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

  /** Runs a login step; a refusal by a delay, lock or one-at-a-time hold is audited (checklist 43). */
  async function audited<T>(meta: RequestMeta, accountId: string | undefined, work: () => Promise<T>) {
    try {
      return await work();
    } catch (err) {
      // the requester's own count passed: recorded as `limited` records it (by IP, no account)
      if (err instanceof CountPassed) await deps.recordThrottled({ action: 'login', by: 'ip' }, meta, err);
      else if (err instanceof TooManyAttempts || err instanceof AccountLocked) {
        await deps.recordThrottled({ action: 'login', by: accountId ? 'account' : 'identifier' }, meta, err, {
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

  /**
   * One check at a time per account (or unknown identifier), across nodes (see Throttle.exclusive);
   * `counted`: the requester's attempt, counted in the same commit as the hold is taken.
   */
  function oneAtATime<T>(subject: string, work: (hold: Hold) => Promise<T>, counted?: Counted): Promise<T> {
    return deps.throttle.exclusive(throttleKey('login', 'inflight', subject), work, counted);
  }

  return { registerFailure, refuseFactor, gate, audited, unknownFailure, oneAtATime };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
