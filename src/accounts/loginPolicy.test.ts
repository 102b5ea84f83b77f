import { describe, expect, it } from 'vitest';
import { afterFailure, loginGate, type ThrottleSettings } from './loginPolicy.js';

const s: ThrottleSettings = { delayAfter: 3, lockAfter: 10, lockSeconds: 900, disableAfter: 100 };
const now = 1_700_000_000_000;

describe('afterFailure', () => {
  it('does nothing before LOGIN_DELAY_AFTER failures', () => {
    expect(afterFailure(1, now, s)).toEqual({ action: 'none' });
    expect(afterFailure(2, now, s)).toEqual({ action: 'none' });
  });

  it('[checklist 7] then slows each attempt with a growing delay, capped at a minute', () => {
    expect(afterFailure(3, now, s)).toEqual({ action: 'delay', untilMs: now + 1000 });
    expect(afterFailure(4, now, s)).toEqual({ action: 'delay', untilMs: now + 2000 });
    expect(afterFailure(5, now, s)).toEqual({ action: 'delay', untilMs: now + 4000 });
    expect(afterFailure(9, now, s)).toEqual({ action: 'delay', untilMs: now + 60_000 });
    expect(afterFailure(15, now, s)).toEqual({ action: 'delay', untilMs: now + 60_000 });
  });

  it('[checklist 7] locks for LOGIN_LOCK_SECONDS at every LOGIN_LOCK_AFTER failures', () => {
    for (const n of [10, 20, 50, 90]) {
      expect(afterFailure(n, now, s)).toEqual({ action: 'lock', untilMs: now + 900_000 });
    }
  });

  it('[checklist 7] disables at 100 consecutive failures, never later', () => {
    expect(afterFailure(99, now, s).action).toBe('delay');
    expect(afterFailure(100, now, s)).toEqual({ action: 'disable' });
    expect(afterFailure(150, now, s)).toEqual({ action: 'disable' });
    expect(afterFailure(5, now, { ...s, disableAfter: 5 })).toEqual({ action: 'disable' });
  });
});

describe('loginGate', () => {
  it('allows when nothing holds the account', () => {
    expect(loginGate({ failures: 0, lockedUntil: null, disabled: false, now })).toEqual({ allowed: true });
    expect(loginGate({ failures: 12, lockedUntil: now - 1, disabled: false, now })).toEqual({
      allowed: true,
    });
    expect(loginGate({ failures: 12, lockedUntil: now, disabled: false, now })).toEqual({ allowed: true });
  });

  it('refuses while locked, saying for how long in whole seconds (rounded up)', () => {
    expect(loginGate({ failures: 3, lockedUntil: now + 1, disabled: false, now })).toEqual({
      allowed: false,
      reason: 'locked',
      retryAfterSeconds: 1,
    });
    expect(loginGate({ failures: 10, lockedUntil: now + 900_000, disabled: false, now })).toEqual({
      allowed: false,
      reason: 'locked',
      retryAfterSeconds: 900,
    });
  });

  it('refuses a disabled account whatever the lock says', () => {
    expect(loginGate({ failures: 100, lockedUntil: null, disabled: true, now })).toEqual({
      allowed: false,
      reason: 'disabled',
    });
  });
});
