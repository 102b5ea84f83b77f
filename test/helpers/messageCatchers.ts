import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMessage {
  to: string;
  text: string;
  subject?: string;
}

/** Waits for the newest message to `to` that carries a 6-digit code, and returns the code. */
async function waitForCode(
  list: CaughtMessage[],
  to: string,
  after: number,
  timeoutMs = 5000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const msg = list
      .slice(after)
      .reverse()
      .find((m) => m.to === to);
    const code = msg?.text.match(/\b(\d{6})\b/)?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no code reached ${to}`);
}

/** A local HTTP server standing in for the SMS gateway; `failNext` makes it answer 500. */
export async function startSmsCatcher(token = 'test-gateway-token') {
  const messages: CaughtMessage[] = [];
  let failures = 0;
  const server: Server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401).end();
        return;
      }
      if (failures > 0) {
        failures -= 1;
        res.writeHead(500).end();
        return;
      }
      const parsed = JSON.parse(body) as { to: string; text: string };
      messages.push({ to: parsed.to, text: parsed.text });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"queued"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send`,
    token,
    messages,
    failNext(n = 1) {
      failures = n;
    },
    mark: () => messages.length,
    code: (to: string, after = 0, timeoutMs?: number) => waitForCode(messages, to, after, timeoutMs),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A real SMTP server that keeps what it receives. */
export async function startSmtpCatcher() {
  const messages: CaughtMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString('utf8');
      });
      stream.on('end', () => {
        const to = session.envelope.rcptTo[0]?.address ?? '';
        // Quoted-printable soft breaks would split the code: undo them.
        const text = raw.replace(/=\r?\n/g, '');
        messages.push({ to, text });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    mark: () => messages.length,
    code: (to: string, after = 0, timeoutMs?: number) => waitForCode(messages, to, after, timeoutMs),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
