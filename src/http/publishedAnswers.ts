import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fresh from 'fresh';
import type Provider from 'oidc-provider';
import type { PublishedDocument } from '../oidc/publishedDocuments.js';
import type { Logger } from '../shared/logger.js';

/** Discovery or the JWKS as first answered, ready to be sent again as it is. */
export interface PublishedAnswer {
  /** the route's metric label, `oidc:discovery` or `oidc:jwks` */
  route: string;
  body: Buffer;
  etag: string;
  /** the 200's headers (the document's: security headers, type, CORS's Vary; caching; length), name then value */
  headers: readonly string[];
  /** the 304's: the same without the body's type and length, as Koa sends it */
  notModifiedHeaders: readonly string[];
}

// Headers of the first answer that belong to that request alone, not to the document.
const PER_REQUEST = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'x-request-id',
  'access-control-allow-origin',
  'etag',
  'cache-control',
]);
// Koa sends a 304 without these (it empties the body); so does sendPublishedAnswer.
const BODY_HEADERS = new Set(['content-type', 'content-length']);

const answers = new WeakMap<Provider, Map<string, PublishedAnswer>>();

/** The answer kept for `path` of this provider (a new provider, after new signing keys, has none yet). */
export function publishedAnswer(provider: Provider, path: string): PublishedAnswer | undefined {
  return answers.get(provider)?.get(path);
}

/** Keeps the document the provider just answered at `path`, with the headers its answer carried. */
export function keepPublishedAnswer(
  provider: Provider,
  path: string,
  doc: PublishedDocument,
  sent: ReturnType<ServerResponse['getHeaders']>,
): void {
  const body = Buffer.from(doc.body);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers: string[] = [];
  for (const [name, value] of Object.entries(sent))
    if (!PER_REQUEST.has(name) && value !== undefined) headers.push(name, String(value));
  // Caches must ask again each time, so a key retired in an emergency leaves every JWKS copy within
  // the key-poll interval; the ETag lets them do so with a 304.
  headers.push('cache-control', 'no-cache', 'etag', etag);
  let byPath = answers.get(provider);
  if (!byPath) {
    byPath = new Map();
    answers.set(provider, byPath);
  }
  byPath.set(path, {
    route: `oidc:${doc.route}`,
    body,
    etag,
    headers: [...headers, 'content-length', String(body.length)],
    notModifiedHeaders: headers.filter((_, i, all) => !BODY_HEADERS.has(all[i - (i % 2)] ?? '')),
  });
}

/**
 * Sends a kept answer to a GET or HEAD, with a request id of its own: 304 when the request's validators
 * match its ETag (as Koa's `ctx.fresh` decides), else 200 with the body. Its request line is logged at
 * debug level only: the line cost about a third of such an answer's CPU (a public document, the same for
 * everyone), and the latency metric counts every one. Returns the status sent.
 */
export function sendPublishedAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: PublishedAnswer,
  lines: Logger,
): number {
  const id = randomUUID();
  const notModified = fresh(req.headers, { etag: answer.etag });
  // oidc-provider's CORS for these routes: any origin, echoed (Vary: Origin is among the headers).
  const perRequest = ['x-request-id', id, 'access-control-allow-origin', req.headers.origin || '*'];
  const status = notModified ? 304 : 200;
  res.writeHead(status, [...(notModified ? answer.notModifiedHeaders : answer.headers), ...perRequest]);
  res.end(notModified || req.method === 'HEAD' ? undefined : answer.body);
  lines.debug({ reqId: id, method: req.method, path: req.url?.split('#', 1)[0], status, ms: 0 }, 'request');
  return status;
}
