import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger, requestLineLogger } from './logger.js';

/** A Node process that creates the stdout logger (LOG_SYNC's default: in the background), then runs `then`. */
function loggingProcess(then: string) {
  const logger = new URL('./logger.ts', import.meta.url).href;
  const code = `import { createLogger } from '${logger}';
    const logger = createLogger({ level: 'info', sync: false });
    ${then}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const lines = () =>
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; i?: number });
  return { child, exited, lines };
}

describe('logger', () => {
  const capture = () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      stream: { write: (line: string) => void lines.push(line) },
    });
    return { logger, read: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  };

  it('censors secrets wherever they appear', () => {
    const { logger, read } = capture();
    logger.info({ password: 'p', client: { secret: 's' }, token: 't', nationalId: '1000000008' }, 'x');
    expect(read()[0]).toMatchObject({
      password: '[redacted]',
      client: { secret: '[redacted]' },
      token: '[redacted]',
      nationalId: '[redacted]',
    });
  });

  it('the request line: same stream and bindings, its fixed fields written as they are', () => {
    const { logger, read } = capture();
    const child = logger.child({ reqId: 'r1' });
    child.info({ method: 'GET', path: '/me', status: 200, ms: 1 }, 'request');
    requestLineLogger(logger).info(
      { reqId: 'r1', method: 'GET', path: '/me', status: 200, ms: 1 },
      'request',
    );
    const [viaChild, viaLines] = read();
    const { time: _a, ...one } = viaChild ?? {};
    const { time: _b, ...two } = viaLines ?? {};
    expect(two).toEqual(one);
    expect(two).toMatchObject({ name: 'hawiya', reqId: 'r1', path: '/me', msg: 'request' });
  });

  // A process that stops (SIGTERM's process.exit) or dies of an error leaves every line it logged: pino writes
  // what is still buffered synchronously on exit.
  it.each([
    ['stops', 'process.exit(0)', 0],
    ['dies of an uncaught error', "throw new Error('fatal')", 1],
  ])(
    'stdout in the background: a process that %s still writes every line logged before',
    async (_, end, code) => {
      const p = loggingProcess(`for (let i = 0; i < 5000; i++) logger.info({ i }, 'line');
      setImmediate(() => { ${end}; });`);
      expect(await p.exited).toBe(code);
      expect(p.lines().map((l) => l.i)).toEqual(Array.from({ length: 5000 }, (_v, i) => i));
    },
  );

  it('stdout in the background: a quiet process writes its line at once, not when a batch fills', async () => {
    const p = loggingProcess(`logger.info('listening'); setInterval(() => {}, 1000);`);
    try {
      // Seen while the process still runs (it never exits by itself); a held line would time the test out.
      while (p.lines().length === 0) await new Promise((r) => setTimeout(r, 20));
      expect(p.lines()[0]?.msg).toBe('listening');
      expect(p.child.exitCode).toBeNull();
    } finally {
      p.child.kill();
    }
  });
});
