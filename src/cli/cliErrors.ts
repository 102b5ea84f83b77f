/** The command understood its input and declines to act (exit 1). */
export class CliRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliRefused';
  }
}

/** The command line itself is wrong (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
