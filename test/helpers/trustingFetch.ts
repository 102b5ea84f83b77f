import { request } from 'node:https';

/**
 * A `fetch` over node:https that trusts `ca` (a test's self-signed certificate; the global fetch cannot be
 * given one) and optionally connects from `localAddress` (e.g. 127.0.0.2, to be another client on loopback).
 * Enough for WebClient: method, headers, a string body, no redirects followed.
 */
export function trustingFetch(opts: { ca: string; localAddress?: string }): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' ? init.body : undefined;
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        url,
        { method: init.method ?? 'GET', headers, ca: opts.ca, localAddress: opts.localAddress, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const out = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const v of Array.isArray(value) ? value : [value ?? '']) out.append(name, v);
            }
            const status = res.statusCode ?? 0;
            const noBody = status === 204 || status === 304;
            resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers: out }));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }) as typeof fetch;
}
