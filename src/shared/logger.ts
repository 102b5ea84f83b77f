import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

// Never log secrets: these paths are censored wherever they appear in a log object.
const REDACT = [
  'password',
  'newPassword',
  'currentPassword',
  'code',
  'otp',
  'token',
  'secret',
  'client_secret',
  'nationalId',
  'national_id',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.code',
  '*.token',
  '*.secret',
  '*.nationalId',
  '*.national_id',
];

// A write to a pipe of at most PIPE_BUF bytes (4096 on Linux) is never split nor interleaved with another
// process's: a cluster's workers share stdout, so a batch of lines is written in pieces of whole lines up to that.
const PIPE_BUF = 4096;

export function createLogger(options: {
  level: string;
  name?: string;
  /** where the lines go (stdout by default); tests pass a memory stream to read them */
  stream?: DestinationStream;
  /**
   * stdout only: write each line before going on (true, when not given), or in the background (false: the
   * server's default, LOG_SYNC=false).
   * In the background a line leaves as soon as the previous write is done, lines that came meanwhile together
   * (no minimum batch, so a quiet server's lines are never held back); pino writes what is left
   * synchronously when the process exits (process.exit, a fatal error). A kill -9 can lose the lines of the
   * write in flight: audit events are in the audit_events table first, the log line is only a copy.
   */
  sync?: boolean;
}): Logger {
  const settings = {
    level: options.level,
    name: options.name ?? 'hawiya',
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  const stream =
    options.stream ?? pino.destination({ dest: 1, sync: options.sync ?? true, maxWrite: PIPE_BUF });
  return pino(settings, stream);
}

/**
 * The logger for the one line each request leaves (request id, method, path, status, milliseconds): no key
 * of it is ever redacted, so it skips the redaction pass, about half of that line's cost (~5 us of ~11 us,
 * a noticeable share of a JWKS answer). Same stream, same bindings.
 */
export function requestLineLogger(logger: Logger): Logger {
  return logger.child({}, { redact: [] });
}

/** 1234567890 -> 1******890: enough to tell people apart in an audit trail, never the whole ID. */
export function maskNationalId(nationalId: string): string {
  if (nationalId.length < 5) return '*'.repeat(nationalId.length);
  return `${nationalId.slice(0, 1)}${'*'.repeat(nationalId.length - 4)}${nationalId.slice(-3)}`;
}

/** 0551234512 -> 05******12 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 5) return '*'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** someone@example.com -> s******@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}******${email.slice(at)}`;
}
