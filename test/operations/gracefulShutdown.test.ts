import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/freePort.js';
import { type HawiyaProcess, startHawiyaProcess, waitUntilReady } from '../helpers/startHawiyaProcess.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with everything the server sent until it closed the connection. */
const readAll = (socket: Socket) =>
  new Promise<string>((resolve) => {
    let data = '';
    socket.on('data', (d) => {
      data += d;
    });
    socket.once('close', () => resolve(data));
  });

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

// The real `npm start` (a primary and two workers, each serving the IdP and both services, on one SQLite
// file) gets SIGTERM while a request is in flight: its body is only half sent. The primary passes it to the
// workers; they must stop accepting connections, still answer that request in full, close the database,
// and the whole exits 0.
describe('graceful shutdown on SIGTERM', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hawiya-sigterm-'));
  let proc: HawiyaProcess | undefined;
  afterAll(async () => {
    proc?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('two workers: stop accepting, finish the request in flight, and exit 0', async () => {
    const [idpPort, lossPort, replPort] = [await freePort(), await freePort(), await freePort()];
    proc = startHawiyaProcess({
      NODE_ENV: 'test',
      PORT: String(idpPort),
      ISSUER: `http://127.0.0.1:${idpPort}`,
      LOSS_REPORT_URL: `http://127.0.0.1:${lossPort}`,
      REPLACEMENT_URL: `http://127.0.0.1:${replPort}`,
      DATABASE_URL: `sqlite:${join(dir, 'hawiya.db')}`,
      KEYS_DIR: join(dir, 'keys'),
      OUTBOX_DIR: join(dir, 'outbox'),
      LOG_LEVEL: 'info',
      WORKERS: '2',
    });
    for (const port of [idpPort, lossPort, replPort]) {
      await waitUntilReady(`http://127.0.0.1:${port}/readyz`).catch((err) => {
        throw new Error(`${err.message}\n${proc?.output()}`);
      });
    }

    // /readyz answers once one worker listens; wait for both (a loaded machine starts them seconds apart).
    const listening = () => proc?.output().match(/Hawiya identity provider listening/g)?.length ?? 0;
    for (let i = 0; i < 300 && listening() < 2; i++) await sleep(100);
    expect(listening()).toBe(2);

    const body = 'nationalId=1000000008&birthDate=1985-03-14';
    const socket = connect(idpPort, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const answer = readAll(socket);
    socket.write(
      `POST /register HTTP/1.1\r\nHost: 127.0.0.1:${idpPort}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await sleep(200);
    proc.child.kill('SIGTERM');
    // Soon nobody new gets in...
    let closed = false;
    for (let i = 0; i < 50 && !closed; i++) {
      await sleep(100);
      closed = await refused(idpPort);
    }
    expect(closed).toBe(true);
    // ...but the request already received still gets its whole answer (here: the form refused, no CSRF token).
    socket.write(body.slice(10));
    const response = await answer;
    expect(response).toMatch(/^HTTP\/1\.1 (403|400) /);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(response).toContain('</html>');
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain('primary started its workers');
    expect(proc.output().match(/Hawiya identity provider listening/g)).toHaveLength(2);
    expect(proc.output()).not.toMatch(/"level":50/);
  });
});
