import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessFetch } from './inProcessFetch.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

// Headers that belong to the connection, not to the request or response being compared.
// Set-Cookie lines are compared one by one (getSetCookie), not as the one merged header.
const CONNECTION = ['connection', 'keep-alive', 'date', 'transfer-encoding', 'accept-encoding', 'set-cookie'];
const without = (h: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(h).filter(([k]) => !CONNECTION.includes(k)));

describe('the in-process fetch', () => {
  const seen: Seen[] = [];
  // Records what arrived and answers with cookies, a status text and binary bytes, or a redirect, or nothing.
  const handler: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: body.toString('hex'),
      });
      if (req.url?.startsWith('/redirect')) {
        res.writeHead(303, { location: '/next?x=1', 'content-length': '0' }).end();
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else {
        res.statusCode = 201;
        res.statusMessage = 'Made';
        res.setHeader('set-cookie', ['a=1; Path=/; HttpOnly', 'b=2; Path=/; SameSite=Lax']);
        res.setHeader('content-type', 'application/octet-stream');
        // as Koa does for every body that is not a stream
        const answer = Buffer.concat([Buffer.from([0, 255, 1]), body]);
        res.setHeader('content-length', answer.length);
        res.end(answer);
      }
    });
  };
  const inProcess = inProcessFetch(handler);
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** The same request over a socket and in-process: what the handler saw and what the caller got, each. */
  async function both(path: string, init: RequestInit = {}) {
    const out = [];
    for (const send of [fetch, inProcess]) {
      seen.length = 0;
      const res = await send(`${origin}${path}`, { redirect: 'manual', ...init });
      const [request] = seen;
      out.push({
        request: { ...request, headers: without(request?.headers ?? {}) },
        status: res.status,
        statusText: res.statusText,
        headers: without(Object.fromEntries(res.headers)),
        cookies: res.headers.getSetCookie(),
        body: Buffer.from(await res.arrayBuffer()).toString('hex'),
      });
    }
    return out;
  }

  it('checklist 20, 32: form and JSON bodies, Basic credentials, cookies, binary and gzip bytes cross it exactly as over a socket', async () => {
    const requests: [string, RequestInit][] = [
      [
        '/page?a=1&b=%00&c=%C3%A9&d=%2F',
        { headers: { cookie: 'sid=abc; other=1', 'accept-language': 'ar' } },
      ],
      ['/form', { method: 'POST', body: new URLSearchParams({ _csrf: 't', name: 'محمد & co', empty: '' }) }],
      [
        '/token',
        {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from('client:sec:ret').toString('base64')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ grant_type: 'authorization_code', code: 'x' }),
        },
      ],
      [
        '/upload',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' },
          body: new Blob([new Uint8Array(gzipSync('a=b'))]),
        },
      ],
      ['/redirect', {}],
      ['/empty', { method: 'DELETE' }],
    ];
    for (const [path, init] of requests) {
      const [socket, local] = await both(path, init);
      expect(local, path).toEqual(socket);
    }
  });

  it('returns a redirect for the caller to read, and refuses to follow one silently', async () => {
    const res = await inProcess(`${origin}/redirect`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/next?x=1');
    await expect(inProcess(`${origin}/redirect`)).rejects.toThrow(/redirect: 'manual'/);
  });
});
