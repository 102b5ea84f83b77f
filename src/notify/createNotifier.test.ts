import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../config.js';
import { DeliveryFailed } from '../shared/errors.js';
import { createLogger } from '../shared/logger.js';
import { createNotifier } from './createNotifier.js';
import { createDevOutbox } from './devOutbox.js';

const logger = createLogger({ level: 'silent' });

async function startSmtp() {
  const received: { rcptTo: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          rcptTo: session.envelope.rcptTo.map((a) => a.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startGateway(status = 200) {
  const requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/sms`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('createNotifier', () => {
  let tmp: string;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeEach(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'hawiya-notify-'));
    smtp = await startSmtp();
    gateway = await startGateway();
  });
  afterEach(async () => {
    await smtp.close();
    await gateway.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('sends SMS to the gateway and mail over SMTP when both are configured, with no outbox', async () => {
    const outboxDir = join(tmp, 'outbox');
    const config = loadConfig({
      NODE_ENV: 'test',
      SMTP_URL: smtp.url,
      SMS_GATEWAY_URL: gateway.url,
      SMS_GATEWAY_TOKEN: 'gw-secret',
      SMS_SENDER: 'HawiyaGov',
      MAIL_FROM: 'Hawiya <no-reply@hawiya.test>',
      OUTBOX_DIR: outboxDir,
    });
    const notifier = createNotifier({ config, logger });
    try {
      expect(notifier.outbox).toBeUndefined();
      await notifier.sendSms({ to: '0551234512', text: 'رمز التحقق 111222' });
      await notifier.sendEmail({
        to: 'ahmed@example.sa',
        subject: 'Hawiya notice',
        text: 'Your phone changed.',
      });
    } finally {
      notifier.close();
    }

    expect(gateway.requests).toHaveLength(1);
    expect(gateway.requests[0]!.headers.authorization).toBe('Bearer gw-secret');
    expect(JSON.parse(gateway.requests[0]!.body)).toEqual({
      to: '0551234512',
      text: 'رمز التحقق 111222',
      sender: 'HawiyaGov',
    });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.rcptTo).toEqual(['ahmed@example.sa']);
    expect(smtp.received[0]!.raw).toMatch(/^Subject: Hawiya notice$/m);
    expect(smtp.received[0]!.raw).toMatch(/^From: Hawiya <no-reply@hawiya\.test>$/m);
    expect(smtp.received[0]!.raw).toContain('Your phone changed.');
    expect(existsSync(outboxDir)).toBe(false);
  });

  it('writes both channels to the dev outbox in OUTBOX_DIR when neither is configured', async () => {
    const notifier = createNotifier({ config: loadConfig({ NODE_ENV: 'test', OUTBOX_DIR: tmp }), logger });
    await notifier.sendSms({ to: '0551234512', text: 'code 333444' });
    await notifier.sendEmail({
      to: 'sara@example.sa',
      subject: 'تفعيل',
      text: 'code 555666',
      html: '<b>x</b>',
    });
    notifier.close();

    const list = await createDevOutbox({ dir: tmp, logger }).list();
    expect(list.map((m) => [m.channel, m.to, m.subject, m.text])).toEqual([
      ['email', 'sara@example.sa', 'تفعيل', 'code 555666'],
      ['sms', '0551234512', undefined, 'code 333444'],
    ]);
    expect((await notifier.outbox!.list(1))[0]!.text).toBe('code 555666');
    expect(gateway.requests).toHaveLength(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('routes each channel on its own: gateway for SMS, outbox for mail when only SMS_GATEWAY_URL is set', async () => {
    const outbox = createDevOutbox({ dir: tmp, logger });
    const config = loadConfig({
      NODE_ENV: 'test',
      SMS_GATEWAY_URL: gateway.url,
      OUTBOX_DIR: join(tmp, 'unused'),
    });
    const notifier = createNotifier({ config, logger, outbox });
    expect(notifier.outbox).toBe(outbox);
    await notifier.sendSms({ to: '0551234512', text: 'sms text' });
    await notifier.sendEmail({ to: 'a@example.sa', subject: 's', text: 'mail text' });
    notifier.close();

    expect(gateway.requests.map((r) => JSON.parse(r.body).text)).toEqual(['sms text']);
    expect((await outbox.list()).map((m) => [m.channel, m.text])).toEqual([['email', 'mail text']]);
    expect(gateway.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('refuses the dev outbox in production even if config validation were bypassed', () => {
    const base = loadConfig({ NODE_ENV: 'test', SMTP_URL: smtp.url, OUTBOX_DIR: tmp });
    const config: Config = { ...base, env: 'production' };
    expect(() => createNotifier({ config, logger })).toThrow(/dev outbox/);
    const full: Config = { ...base, env: 'production', sms: { ...base.sms, gatewayUrl: gateway.url } };
    const notifier = createNotifier({ config: full, logger });
    expect(notifier.outbox).toBeUndefined();
    notifier.close();
  });

  it('turns gateway and outbox failures into DeliveryFailed with the channel', async () => {
    const failing = await startGateway(500);
    const blocked = join(tmp, 'a-file');
    writeFileSync(blocked, 'not a folder');
    const notifier = createNotifier({
      config: loadConfig({ NODE_ENV: 'test', SMS_GATEWAY_URL: failing.url, OUTBOX_DIR: blocked }),
      logger,
    });
    try {
      const smsErr = await notifier.sendSms({ to: '0551234512', text: 'x' }).catch((e: unknown) => e);
      expect(smsErr).toBeInstanceOf(DeliveryFailed);
      expect((smsErr as DeliveryFailed).channel).toBe('sms');
      const mailErr = await notifier
        .sendEmail({ to: 'a@example.sa', subject: 's', text: 'x' })
        .catch((e: unknown) => e);
      expect(mailErr).toBeInstanceOf(DeliveryFailed);
      expect((mailErr as DeliveryFailed).channel).toBe('email');
    } finally {
      notifier.close();
      await failing.close();
    }
  });
});
