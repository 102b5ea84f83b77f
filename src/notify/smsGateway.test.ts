import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryFailed } from '../shared/errors.js';
import { createLogger } from '../shared/logger.js';
import { createSmsGateway } from './smsGateway.js';

interface Recorded {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on a free port standing in for the SMS gateway; `reply` decides each answer. */
async function startGateway(reply: (res: import('node:http').ServerResponse) => void) {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      reply(res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/send`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const logger = createLogger({ level: 'silent' });
const text = 'هوية: رمز التحقق 582046 صالح 5 دقائق. Hawiya code: 582046';

describe('createSmsGateway', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('POSTs {to, text, sender} as JSON with the bearer token', async () => {
    gateway = await startGateway((res) => res.writeHead(202).end('{"id":"m1"}'));
    const sms = createSmsGateway({ url: gateway.url, token: 'gw-token-123', sender: 'Hawiya', logger });
    await sms.send({ to: '0551234512', text });

    expect(gateway.requests).toHaveLength(1);
    const req = gateway.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers.authorization).toBe('Bearer gw-token-123');
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(req.body)).toEqual({ to: '0551234512', text, sender: 'Hawiya' });
  });

  it('sends no Authorization header when no token is configured', async () => {
    gateway = await startGateway((res) => res.writeHead(200).end());
    await createSmsGateway({ url: gateway.url, sender: 'Hawiya', logger }).send({ to: '0551234512', text });
    expect(gateway.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('[checklist 44] a 500 from the gateway gives DeliveryFailed(sms) and logs status and masked number only', async () => {
    gateway = await startGateway((res) => res.writeHead(500).end('boom'));
    const { logger: capture, lines } = captureLogger();
    const sms = createSmsGateway({
      url: gateway.url,
      token: 'gw-token-123',
      sender: 'Hawiya',
      logger: capture,
    });
    const err = await sms.send({ to: '0551234512', text }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryFailed);
    expect((err as DeliveryFailed).channel).toBe('sms');
    const log = lines.join('');
    expect(log).toContain('"status":500');
    expect(log).toContain('05******12');
    expect(log).not.toContain('582046');
    expect(log).not.toContain('0551234512');
    expect(log).not.toContain('gw-token-123');
  });

  it('a gateway that never answers gives DeliveryFailed(sms) after the timeout', async () => {
    gateway = await startGateway(() => {
      // never answer
    });
    const { logger: capture, lines } = captureLogger();
    const sms = createSmsGateway({ url: gateway.url, sender: 'Hawiya', logger: capture, timeoutMs: 300 });
    const started = Date.now();
    const err = await sms.send({ to: '0551234512', text }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;

    expect(err).toBeInstanceOf(DeliveryFailed);
    expect((err as DeliveryFailed).channel).toBe('sms');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3000);
    expect(lines.join('')).toContain('"reason":"timeout"');
    expect(lines.join('')).not.toContain('582046');
  });

  it('an unreachable gateway gives DeliveryFailed(sms)', async () => {
    const closed = await startGateway((res) => res.end());
    const url = closed.url;
    await closed.close();
    await expect(
      createSmsGateway({ url, sender: 'Hawiya', logger }).send({ to: '0551234512', text }),
    ).rejects.toBeInstanceOf(DeliveryFailed);
  });

  it('treats a redirect as a failure instead of following it with the token', async () => {
    gateway = await startGateway((res) =>
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end(),
    );
    const sms = createSmsGateway({ url: gateway.url, token: 'gw-token-123', sender: 'Hawiya', logger });
    await expect(sms.send({ to: '0551234512', text })).rejects.toBeInstanceOf(DeliveryFailed);
    expect(gateway.requests).toHaveLength(1);
  });
});
