import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fresh from 'fresh';
import type Provider from 'oidc-provider';
import type { PublishedDocument } from '../oidc/publishedDocuments.js';

/** Discovery or the JWKS as first answered, ready to be sent again as it is. */
export interface PublishedAnswer {
  /** the route's metric label, `oidc:discovery` or `oidc:jwks` */
  route: string;
  body: Buffer;
  etag: string;
  /** the document's headers (security headers, type, CORS's Vary) and the caching ones, name then value */
  headers: string[];
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
// Koa sends a 304 without these (it empties the body); so does writePublishedAnswer.
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
  byPath.set(path, { route: `oidc:${doc.route}`, body, etag, headers });
}

/**
 * Sends a kept answer to a GET or HEAD: 304 when the request's validators match its ETag (as Koa's
 * `ctx.fresh` decides), else 200 with the body. Returns the status sent.
 */
export function writePublishedAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: PublishedAnswer,
  requestId: string,
): number {
  const notModified = fresh(req.headers, { etag: answer.etag });
  const headers = notModified
    ? answer.headers.filter((_, i, all) => !BODY_HEADERS.has(all[i - (i % 2)] ?? ''))
    : [...answer.headers, 'content-length', String(answer.body.length)];
  // oidc-provider's CORS for these routes: any origin, echoed (Vary: Origin is among the headers).
  headers.push('x-request-id', requestId, 'access-control-allow-origin', req.headers.origin || '*');
  const status = notModified ? 304 : 200;
  res.writeHead(status, headers);
  res.end(notModified || req.method === 'HEAD' ? undefined : answer.body);
  return status;
}
