import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { publishedDocument } from '../../oidc/publishedDocuments.js';
import { type Logger, requestLineLogger } from '../../shared/logger.js';
import { keepPublishedAnswer, publishedAnswer, sendPublishedAnswer } from '../publishedAnswers.js';

/**
 * Discovery and the JWKS, answered from memory: the first request for each goes through the whole app
 * and oidc-provider as any other (which remembers its answer, see oidc/publishedDocuments); from then on
 * the same body and headers (security headers, CORS) are sent at once, with an ETag so a relying party
 * can revalidate with a 304. The IdP's listener sends them before this app is reached
 * (protocolApiListener.ts); this is the same answer for requests handed to the app itself. A new provider
 * (new signing keys) starts with no copy. Requests with a query string take the usual path.
 */
export function servePublishedDocuments(deps: { provider: () => Provider; logger: Logger }): Middleware {
  const lines = requestLineLogger(deps.logger);

  return async function servePublishedDocuments(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.querystring !== '') return next();
    const provider = deps.provider();
    const answer = publishedAnswer(provider, ctx.path);
    if (!answer) {
      await next();
      const doc = publishedDocument(provider, ctx.path);
      if (doc && ctx.res.statusCode === 200)
        keepPublishedAnswer(provider, ctx.path, doc, ctx.res.getHeaders());
      return;
    }
    ctx.respond = false;
    sendPublishedAnswer(ctx.req, ctx.res, answer, lines);
  };
}
