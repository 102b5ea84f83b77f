import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { BenchCertificate } from './tls.js';

/** The newest 6-digit code each recipient was sent, waited for by the login driver. */
export class CodeBox {
  private readonly codes = new Map<string, string>();
  private readonly waiting = new Map<string, (code: string) => void>();

  put(to: string, text: string): void {
    const code = text.match(/\b(\d{6})\b/)?.[1];
    if (!code) return;
    const waiter = this.waiting.get(to);
    if (waiter) {
      this.waiting.delete(to);
      waiter(code);
    } else this.codes.set(to, code);
  }

  /** The next code sent to `to` (one already received and not taken counts). */
  take(to: string, timeoutMs = 10_000): Promise<string> {
    const ready = this.codes.get(to);
    if (ready) {
      this.codes.delete(to);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(to);
        reject(new Error(`no code reached ${to}`));
      }, timeoutMs);
      this.waiting.set(to, (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }
}

export interface MessageStandIns {
  smsUrl: string;
  smsToken: string;
  smtpUrl: string;
  codes: CodeBox;
  close(): Promise<void>;
}

/**
 * Stand-ins for the SMS gateway (https, bearer token, the gateway's JSON) and the mail server (SMTP over TLS
 * from the start), both with the bench certificate: the production configuration accepts them as they are.
 */
export async function startMessageStandIns(tls: BenchCertificate): Promise<MessageStandIns> {
  const codes = new CodeBox();
  const smsToken = 'bench-gateway-token';
  const sms = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${smsToken}`) {
        res.writeHead(401).end();
        return;
      }
      const parsed = JSON.parse(body) as { to: string; text: string };
      codes.put(parsed.to, parsed.text);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"queued"}');
    });
  });
  await new Promise<void>((r) => sms.listen(0, '127.0.0.1', r));
  const smtp = new SMTPServer({
    secure: true,
    key: tls.key,
    cert: tls.cert,
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString('utf8');
      });
      stream.on('end', () => {
        codes.put(session.envelope.rcptTo[0]?.address ?? '', raw.replace(/=\r?\n/g, ''));
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smsPort = (sms.address() as AddressInfo).port;
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  return {
    smsUrl: `https://127.0.0.1:${smsPort}/send`,
    smsToken,
    smtpUrl: `smtps://127.0.0.1:${smtpPort}`,
    codes,
    close: async () => {
      sms.closeAllConnections();
      await Promise.all([
        new Promise<void>((r) => sms.close(() => r())),
        new Promise<void>((r) => smtp.close(() => r())),
      ]);
    },
  };
}
