import type { RequestListener } from 'node:http';
import inject from 'light-my-request';

// What Node's fetch (undici) sends when the caller does not say otherwise. Not accept-encoding: nothing
// here compresses, and this fetch does not decompress.
const FETCH_DEFAULTS: Record<string, string> = {
  accept: '*/*',
  'accept-language': '*',
  'sec-fetch-mode': 'cors',
  'user-agent': 'node',
};

// Statuses whose response has no body (the Fetch standard's null body statuses).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` that hands every request to `handler` (a Koa `app.callback()`) in this process, whatever the
 * URL's host: no socket, no port. light-my-request builds the IncomingMessage and ServerResponse. As with
 * `redirect: 'manual'`, a redirect is returned as it is (the caller reads Location); asking this fetch to
 * follow one is an error rather than a silent difference from the real thing. The peer address the app
 * sees is 127.0.0.1. Response headers are those the app set (Koa sets Content-Length on every body but a
 * stream); the Content-Length Node itself adds to a body ended in one piece is not invented here.
 */
export function inProcessFetch(handler: RequestListener): typeof fetch {
  return async function fetchInProcess(input, init) {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = { ...FETCH_DEFAULTS, host: url.host };
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    request.signal.throwIfAborted();
    const res = await inject(handler, {
      method: request.method as 'GET',
      url: url.href,
      headers,
      payload: body,
    });

    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) out.append(name, String(v));
    }
    const status = res.statusCode;
    if (status >= 300 && status < 400 && out.has('location') && request.redirect !== 'manual') {
      throw new TypeError(
        `in-process fetch: ${request.method} ${url.pathname} answered ${status}; pass redirect: 'manual'`,
      );
    }
    const noBody = NULL_BODY.has(status) || request.method === 'HEAD';
    const response = new Response(noBody ? null : new Uint8Array(res.rawPayload), {
      status,
      statusText: res.statusMessage,
      headers: out,
    });
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  };
}
