// Domain errors carry a stable code (a key of the i18n catalogue) and an HTTP status.
// Only http/middleware/errors.ts turns them into responses.

export class HawiyaError extends Error {
  constructor(
    readonly code: string,
    readonly status = 400,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = new.target.name;
  }
}

export class InvalidInput extends HawiyaError {
  constructor(
    code: string,
    readonly field?: string,
    params: Record<string, string | number> = {},
  ) {
    super(code, 400, params);
  }
}

/** Several fields of one form are wrong: each is told at once, beside its field. */
export class InvalidInputs extends HawiyaError {
  constructor(readonly problems: readonly InvalidInput[]) {
    super(problems[0]?.code ?? 'bad_request', 400, problems[0]?.params ?? {});
  }
}

/** Runs each check of a form and throws every problem together (InvalidInputs), or returns the results. */
export function checkAll<T extends readonly (() => unknown)[]>(
  ...checks: T
): { [K in keyof T]: ReturnType<T[K]> } {
  const problems: InvalidInput[] = [];
  const results = checks.map((check) => {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      problems.push(err);
      return undefined;
    }
  });
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new InvalidInputs(problems);
  return results as { [K in keyof T]: ReturnType<T[K]> };
}

export class BadCredentials extends HawiyaError {
  constructor() {
    super('bad_credentials', 401);
  }
}

export class AccountLocked extends HawiyaError {
  constructor(minutes: number) {
    super('account_locked', 423, { minutes });
  }
}

export class AccountSuspended extends HawiyaError {
  constructor() {
    super('account_suspended', 423);
  }
}

export class AccountDisabled extends HawiyaError {
  constructor() {
    super('account_disabled', 423);
  }
}

export class TooManyAttempts extends HawiyaError {
  constructor(seconds: number) {
    super('too_many_attempts', 429, { seconds });
  }
}

export class CodeInvalid extends HawiyaError {
  constructor(remaining: number) {
    super('code_invalid', 400, { remaining });
  }
}

export class CodeExpired extends HawiyaError {
  constructor() {
    super('code_expired', 400);
  }
}

/** Too many wrong entries in one transaction: no code of it works any more, the journey starts again. */
export class CodeVoid extends HawiyaError {
  /** wrongGuess: this very attempt was a wrong code (the last try), not a visit to an already void code */
  constructor(readonly wrongGuess = false) {
    super('code_void', 400);
  }
}

export class ResendTooSoon extends HawiyaError {
  constructor(seconds: number) {
    super('resend_too_soon', 429, { seconds });
  }
}

export class DeliveryFailed extends HawiyaError {
  constructor(readonly channel: 'sms' | 'email') {
    super('delivery_failed', 503);
  }
}

export class NotFound extends HawiyaError {
  constructor(code = 'not_found') {
    super(code, 404);
  }
}

export class FlowExpired extends HawiyaError {
  constructor() {
    super('flow_expired', 400);
  }
}

/** The consent being answered was withdrawn meanwhile (on the account page): the sign-in starts again. */
export class ConsentWithdrawnMeanwhile extends HawiyaError {
  constructor() {
    super('interaction_expired', 409);
  }
}

export class CsrfFailed extends HawiyaError {
  constructor() {
    super('csrf_failed', 403);
  }
}
