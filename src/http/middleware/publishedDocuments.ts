import { createHash, randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { publishedDocument } from '../../oidc/publishedDocuments.js';
import { type Logger, requestLineLogger } from '../../shared/logger.js';

interface Answer {
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
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

/**
 * Discovery and the JWKS, answered from memory: the first request for each goes through the whole app
 * and oidc-provider as any other (which remembers its answer, see oidc/publishedDocuments); from then on
 * the same body and headers (security headers, CORS) are sent at once, without a per-request logger, two
 * Koa apps and the provider's router, with an ETag so a relying party can revalidate with a 304.
 * `Cache-Control: no-cache`: caches must ask again each time, so a key retired in an emergency leaves
 * every JWKS copy within the key-poll interval, as before. A new provider (new signing keys) starts
 * with no copy. Requests with a query string take the usual path.
 */
export function servePublishedDocuments(deps: { provider: () => Provider; logger: Logger }): Middleware {
  const answers = new WeakMap<Provider, Map<string, Answer>>();
  const lines = requestLineLogger(deps.logger);

  return async function servePublishedDocuments(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.querystring !== '') return next();
    const provider = deps.provider();
    const answer = answers.get(provider)?.get(ctx.path);
    if (!answer) {
      await next();
      const doc = publishedDocument(provider, ctx.path);
      if (!doc || ctx.res.statusCode !== 200) return;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(ctx.res.getHeaders()))
        if (!PER_REQUEST.has(name) && value !== undefined) headers[name] = String(value);
      const body = Buffer.from(doc.body);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      let byPath = answers.get(provider);
      if (!byPath) {
        byPath = new Map();
        answers.set(provider, byPath);
      }
      byPath.set(ctx.path, { body, etag, headers });
      return;
    }
    const id = randomUUID();
    ctx.set(answer.headers);
    ctx.set('X-Request-Id', id);
    // oidc-provider's CORS for these routes: any origin, echoed (Vary: Origin is among the headers).
    ctx.set('Access-Control-Allow-Origin', ctx.get('Origin') || '*');
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('ETag', answer.etag);
    ctx.status = 200;
    if (ctx.fresh) ctx.status = 304;
    else ctx.body = answer.body;
    lines.info({ reqId: id, method: ctx.method, path: ctx.path, status: ctx.status, ms: 0 }, 'request');
  };
}
