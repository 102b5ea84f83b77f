// Errors that say the database cannot be used right now (down, unreachable, restarting, out of
// connections, busy past the timeout), as opposed to a bug or bad data. They answer 503 "try again
// shortly", never a server error, and need nothing but time: the pool connects again by itself.

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
// PostgreSQL: 08 connection exceptions; 57P01-57P03 shutting down or starting up; 53300 too many clients.
const PG_STATES = /^(08...|57P0[123]|53300)$/;
// SQLite: busy or locked past the busy timeout, the file cannot be opened, read or written.
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|PROTOCOL)/;
const MESSAGES =
  /Connection terminated|connection timeout|Timeout acquiring a connection|database is locked/i;

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || PG_STATES.test(code) || SQLITE_CODES.test(code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  // pg reports a refused localhost (::1 and 127.0.0.1) as an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** Seconds a client is asked to wait (Retry-After) while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
