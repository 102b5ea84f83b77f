import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixedRequest, runLoad } from '../../bench/load/loadRun.js';

// The bench's pools through wrk (a Lua script sending a cycle of requests read from a file): every request
// of the cycle must reach the server whole (method, path, headers, body) and in turn, and wrk's count of
// answers must be what the server answered. No figure is checked (speed lives in `npm run bench`).
describe('npm run bench: a pool of requests through wrk', () => {
  let server: Server;
  let origin: string;
  let dir: string;
  const seen: Array<{ method: string; path: string; token: string; body: string }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-wrk-'));
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        seen.push({
          method: req.method ?? '',
          path: req.url ?? '',
          token: req.headers['x-token'] as string,
          body,
        });
        // one value refused, as a spent single-use token would be
        res.statusCode = body.includes('refuse-me') ? 400 : 200;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each request of the cycle whole and in turn, and counts what was not the expected status', async () => {
    const pool = ['a1', 'b2', 'c3', 'refuse-me'];
    let i = 0;
    const next = (): FixedRequest => {
      const value = pool[i++ % pool.length] ?? '';
      return {
        method: 'POST',
        path: `/token?n=${value}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-token': value },
        body: `grant_type=refresh_token&refresh_token=${value}`,
      };
    };
    const figure = await runLoad(
      { origin, connections: 1, duration: 1, next, cycle: pool.length, expectStatus: 200 },
      { wrk: true, tmpDir: dir },
    );

    expect(figure.tool).toBe('wrk');
    expect(seen.length).toBeGreaterThan(pool.length);
    // one connection: the server saw the cycle in order, again and again (wrk takes one request at its
    // start to check the script, so the server's first is the cycle's second)
    const first = pool.indexOf(seen[0]?.token ?? '');
    expect(first).toBeGreaterThanOrEqual(0);
    seen.forEach((r, k) => {
      const value = pool[(first + k) % pool.length];
      expect(r).toEqual({
        method: 'POST',
        path: `/token?n=${value}`,
        token: value,
        body: `grant_type=refresh_token&refresh_token=${value}`,
      });
    });
    // wrk counted the answers the server gave (an answer cut off by the end of the run is counted by neither)
    const refused = seen.filter((r) => r.token === 'refuse-me').length;
    expect(figure.count).toBeGreaterThanOrEqual(seen.length - 1);
    expect(figure.count).toBeLessThanOrEqual(seen.length);
    expect(figure.errors).toBeGreaterThanOrEqual(refused - 1);
    expect(figure.errors).toBeLessThanOrEqual(refused);
  });
});
