import { describe, expect, it } from 'vitest';
import { createLogger, requestLineLogger } from './logger.js';

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
});
