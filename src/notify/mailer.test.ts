import { once } from 'node:events';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryFailed } from '../shared/errors.js';
import { createLogger } from '../shared/logger.js';
import { createMailer } from './mailer.js';

interface Received {
  rcptTo: string[];
  headers: Map<string, string>;
  /** decoded text of each leaf part, keyed by content type */
  parts: Map<string, string>;
}

/** A real SMTP server on a free port that keeps every message it is given. */
async function startSmtp(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
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
          ...parseMessage(Buffer.concat(chunks)),
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

/** Just enough MIME to read back what nodemailer wrote: headers with encoded words, QP/base64, multipart. */
function parseMessage(raw: Buffer): { headers: Map<string, string>; parts: Map<string, string> } {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of text
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const body = text.slice(split + 4);
  const type = headers.get('content-type') ?? 'text/plain';
  const parts = new Map<string, string>();
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (type.startsWith('multipart/') && boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1, -1)) {
      for (const [k, v] of parseMessage(Buffer.from(chunk.replace(/^\r\n/, ''), 'latin1')).parts)
        parts.set(k, v);
    }
  } else {
    parts.set(type.split(';')[0]!.trim(), decodeBody(body, headers.get('content-transfer-encoding')));
  }
  return { headers, parts };
}

function decodeWords(value: string): string {
  const bytes = (s: string) => Buffer.from(s, 'latin1').toString('utf8');
  return bytes(value)
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(qpBytes(data.replace(/_/g, ' ')), 'latin1').toString('utf8'),
    );
}

function qpBytes(s: string): string {
  return s
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function decodeBody(body: string, encoding = '7bit'): string {
  const trimmed = body.replace(/\r\n$/, '');
  if (encoding.toLowerCase() === 'base64') return Buffer.from(trimmed, 'base64').toString('utf8');
  if (encoding.toLowerCase() === 'quoted-printable')
    return Buffer.from(qpBytes(trimmed), 'latin1').toString('utf8');
  return Buffer.from(trimmed, 'latin1').toString('utf8');
}

async function closedPort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
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

describe('createMailer', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeEach(async () => {
    smtp = await startSmtp();
  });
  afterEach(async () => {
    await smtp.close();
  });

  it('delivers an Arabic subject and body intact to the recipient over SMTP', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'Hawiya <no-reply@hawiya.local>', logger });
    const subject = 'هوية: تفعيل حسابك';
    const text = 'مرحباً أحمد، رمز التفعيل 482913 صالح خمس دقائق.\nHawiya activation code: 482913';
    await mailer.send({ to: 'ahmed@example.sa', subject, text });
    mailer.close();

    expect(smtp.received).toHaveLength(1);
    const msg = smtp.received[0]!;
    expect(msg.rcptTo).toEqual(['ahmed@example.sa']);
    expect(msg.headers.get('to')).toBe('ahmed@example.sa');
    expect(msg.headers.get('from')).toBe('Hawiya <no-reply@hawiya.local>');
    expect(msg.headers.get('subject')).toBe(subject);
    expect(msg.parts.get('text/plain')?.replace(/\r\n/g, '\n')).toBe(text);
  });

  it('sends an html alternative alongside the text when given', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'no-reply@hawiya.local', logger });
    await mailer.send({
      to: 'sara@example.sa',
      subject: 'إشعار',
      text: 'تم تغيير رقم الجوال',
      html: '<p dir="rtl">تم تغيير رقم الجوال</p>',
    });
    mailer.close();

    const msg = smtp.received[0]!;
    expect(msg.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    expect(msg.parts.get('text/plain')).toBe('تم تغيير رقم الجوال');
    expect(msg.parts.get('text/html')).toBe('<p dir="rtl">تم تغيير رقم الجوال</p>');
  });

  it('[checklist 44] a mail to a closed port fails quickly with DeliveryFailed(email), logging no text', async () => {
    const { logger: capture, lines } = captureLogger();
    const port = await closedPort();
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'no-reply@hawiya.local',
      logger: capture,
    });
    const started = Date.now();
    const err = await mailer
      .send({ to: 'ahmed@example.sa', subject: 'رمز', text: 'رمز التحقق 739104' })
      .catch((e: unknown) => e);
    mailer.close();

    expect(err).toBeInstanceOf(DeliveryFailed);
    expect((err as DeliveryFailed).channel).toBe('email');
    expect((err as DeliveryFailed).code).toBe('delivery_failed');
    expect(Date.now() - started).toBeLessThan(3000);
    const log = lines.join('');
    expect(log).toContain('email delivery failed');
    expect(log).toContain('a******@example.sa');
    expect(log).not.toContain('739104');
    expect(log).not.toContain('ahmed@');
  });

  it('fails with DeliveryFailed(email) when the server rejects the recipient', async () => {
    const rejecting = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('no such user'), { responseCode: 550 }));
      },
    });
    rejecting.listen(0, '127.0.0.1');
    await once(rejecting.server, 'listening');
    const { port } = rejecting.server.address() as { port: number };
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'no-reply@hawiya.local',
      logger,
    });
    try {
      await expect(mailer.send({ to: 'nobody@example.sa', subject: 's', text: 't' })).rejects.toBeInstanceOf(
        DeliveryFailed,
      );
    } finally {
      mailer.close();
      await new Promise<void>((resolve) => rejecting.close(() => resolve()));
    }
  });
});
