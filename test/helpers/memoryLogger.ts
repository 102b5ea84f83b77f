import { createLogger, type Logger } from '../../src/shared/logger.js';

/** A debug-level logger that keeps every JSON line in `lines`, for tests that read the log. */
export function memoryLogger(lines: string[]): Logger {
  return createLogger({ level: 'debug', stream: { write: (line: string) => void lines.push(line) } });
}
