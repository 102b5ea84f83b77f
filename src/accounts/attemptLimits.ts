import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import { CodeInvalid, CodeVoid, HawiyaError, TooManyAttempts } from '../shared/errors.js';
import { type Counted, type Limit, type Throttle, throttleKey } from '../throttle/createThrottle.js';
import type { AccountsSettings } from './accountsDeps.js';
import type { CodeDelivery } from './codeDelivery.js';
import { type RequestMeta, who } from './requestMeta.js';

/** How long wrong activation/reset codes of a national ID add up. */
const CODES_MEMORY_SECONDS = 30 * 86400;
/** A count without a limit: consume() adds one and never refuses. */
export const COUNT_ONLY = Number.MAX_SAFE_INTEGER;

export type LimitedAction = 'login' | 'register' | 'reset' | 'codes';

/**
 * Per-requester and per-subject limits of registration, reset and their codes; each refusal is audited
 * (checklist 43). Counters live in the database, so they hold across workers and nodes.
 */
export function createAttemptLimits(deps: {
  throttle: Throttle;
  audit: Audit;
  clock: Clock;
  settings: Pick<AccountsSettings, 'ipLimit' | 'ipWindowSeconds' | 'subjectLimit' | 'disableAfter'>;
  notifyPerson: CodeDelivery['notifyPerson'];
}) {
  const s = deps.settings;
  const ipLimit: Limit = { limit: s.ipLimit, windowSeconds: s.ipWindowSeconds };
  const subjectLimit: Limit = { limit: s.subjectLimit, windowSeconds: s.ipWindowSeconds };
  const codesKey = (nationalId: string) => throttleKey('codes', 'nid', nationalId);

  async function recordThrottled(
    what: { action: LimitedAction; by: string },
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

  /** One more attempt by a requester (IP_LIMIT) or about a national ID (SUBJECT_LIMIT) in the window. */
  async function limited(
    what: { action: LimitedAction; by: 'ip' | 'nid' },
    subject: string,
    meta: RequestMeta,
  ): Promise<void> {
    try {
      await deps.throttle.consume(
        throttleKey(what.action, what.by, subject),
        what.by === 'ip' ? ipLimit : subjectLimit,
      );
    } catch (err) {
      if (err instanceof TooManyAttempts)
        await recordThrottled(what, meta, err, { nationalId: what.by === 'nid' ? subject : undefined });
      throw err;
    }
  }

  /**
   * The same count as `limited` (by IP), for Throttle.exclusive to take in one commit with its hold; its
   * refusal (CountPassed) is audited by the caller with recordThrottled, as `limited` does.
   */
  function counted(action: LimitedAction, ip: string): Counted {
    return { key: throttleKey(action, 'ip', ip), limit: ipLimit };
  }

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
          deps.notifyPerson({
            nationalId: flow.nationalId,
            kind: 'codes_blocked',
            locale: 'ar',
            meta,
            sms: true,
          });
        }
      }
      throw err;
    }
  }

  return { limited, counted, recordThrottled, codesBlocked, verifyCounted };
}

export type AttemptLimits = ReturnType<typeof createAttemptLimits>;
