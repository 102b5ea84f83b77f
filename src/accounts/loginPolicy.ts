// Pure decisions about failed logins; no I/O. NIST 800-63B-4: throttle, and never allow more than
// 100 consecutive failures on one authenticator.

export interface ThrottleSettings {
  delayAfter: number;
  lockAfter: number;
  lockSeconds: number;
  disableAfter: number;
}

export type Gate =
  | { allowed: true }
  | { allowed: false; reason: 'locked'; retryAfterSeconds: number }
  | { allowed: false; reason: 'disabled' };

/** May this account try now? */
export function loginGate(input: {
  failures: number;
  lockedUntil: number | null;
  disabled: boolean;
  now: number;
}): Gate {
  if (input.disabled) return { allowed: false, reason: 'disabled' };
  if (input.lockedUntil !== null && input.lockedUntil > input.now) {
    return {
      allowed: false,
      reason: 'locked',
      retryAfterSeconds: Math.ceil((input.lockedUntil - input.now) / 1000),
    };
  }
  return { allowed: true };
}

export type AfterFailure =
  | { action: 'none' }
  | { action: 'delay'; untilMs: number }
  | { action: 'lock'; untilMs: number }
  | { action: 'disable' };

/** What a new failure (the `failures`-th in a row) leads to: a growing delay, a temporary lock, or disabling. */
export function afterFailure(failures: number, now: number, s: ThrottleSettings): AfterFailure {
  if (failures >= s.disableAfter) return { action: 'disable' };
  if (failures >= s.lockAfter && (failures - s.lockAfter) % s.lockAfter === 0) {
    return { action: 'lock', untilMs: now + s.lockSeconds * 1000 };
  }
  if (failures >= s.delayAfter) {
    const seconds = Math.min(2 ** (failures - s.delayAfter), 60);
    return { action: 'delay', untilMs: now + seconds * 1000 };
  }
  return { action: 'none' };
}
