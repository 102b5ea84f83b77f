import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { DATABASE_RETRY_AFTER_SECONDS } from '../db/databaseUnavailable.js';
import { type Logger, requestLineLogger } from '../shared/logger.js';
import { securityHeaderList } from '../shared/securityHeaders.js';
import { SIGNING_UNAVAILABLE } from './middleware/refuseSigningWithoutKeys.js';
import { CONTROL_CHARS_REFUSED, hostileRequest } from './middleware/rejectControlChars.js';
import { type ProviderHandler, routePath } from './providerHandler.js';
import { publishedAnswer, sendPublishedAnswer } from './publishedAnswers.js';

/** The endpoints relying parties' servers call: JSON in, JSON out, never a page. */
const PROTOCOL_API_ROUTES = [
  'token',
  'userinfo',
  'introspection',
  'revocation',
  'pushed_authorization_request',
] as const;

/**
 * The IdP's request listener. Requests for the endpoints relying parties' servers call (token, userinfo,
 * introspection, revocation, PAR) go straight to oidc-provider: they need no locale, page router or page
 * error handling, and passing them through the page app as well (a second Koa context and ten middleware)
 * cost about a fifth of a userinfo request's CPU (measured with `npm run bench`). What the page app gives
 * every answer is given here too: a request id (X-Request-Id) and the request log line, the security
 * headers, control characters refused, nothing signed while the signing keys could not be loaded, the
 * latency metric. Discovery and the JWKS, once the page app has answered each (publishedAnswers.ts), are
 * sent from memory here: a third of their CPU was the page app's Koa context and middleware, and their
 * request line is logged at debug level only. Everything else (pages, the authorization endpoint, the
 * first discovery and JWKS requests) goes to `app`.
 */
export function createIdpListener(deps: {
  app: RequestListener;
  provider: () => Provider;
  providerHandler: (provider: Provider) => ProviderHandler;
  keyProblem: () => string | undefined;
  logger: Logger;
  https: boolean;
  /**
   * each answered request, for the latency metric (`start` from `process.hrtime.bigint()`; `route` when
   * answered here without the provider's router, which names the others)
   */
  observe?: (r: {
    method: string;
    route?: string;
    req: IncomingMessage;
    status: number;
    start: bigint;
  }) => void;
}): RequestListener {
  const lines = requestLineLogger(deps.logger);
  const headers = securityHeaderList({ https: deps.https });
  const routes = protocolApiPaths();

  return function idpListener(req, res) {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const provider = deps.provider();
    const published =
      query === -1 && (req.method === 'GET' || req.method === 'HEAD') && publishedAnswer(provider, path);
    if (published) {
      const start = process.hrtime.bigint();
      const status = sendPublishedAnswer(req, res, published, lines);
      deps.observe?.({ method: req.method ?? '', route: published.route, req, status, start });
      return;
    }
    if (!routes(provider).has(path)) {
      deps.app(req, res);
      return;
    }
    const start = process.hrtime.bigint();
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    for (const [name, value] of headers) res.setHeader(name, value);
    const done = () => {
      lines.info(
        {
          reqId: id,
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(Number(process.hrtime.bigint() - start) / 1e6),
        },
        'request',
      );
      deps.observe?.({ method: req.method ?? '', req, status: res.statusCode, start });
    };
    // the query as Koa reads it: up to a fragment, which a client should not send
    const search = query === -1 ? '' : url.slice(query + 1).split('#', 1)[0];
    const refusal = refusalOf(req, path, search ?? '', deps.keyProblem());
    if (refusal) {
      if (refusal === CONTROL_CHARS_REFUSED)
        deps.logger.child({ reqId: id }).warn({ path }, 'control character in request refused');
      answerJson(res, refusal === SIGNING_UNAVAILABLE ? 503 : 400, refusal);
      done();
      return;
    }
    deps
      .providerHandler(provider)(req, res)
      .catch((err: unknown) => {
        // Koa answers its own errors: this is a failure of the answer itself (a socket gone).
        deps.logger.error({ err, reqId: id }, 'protocol request failed');
      })
      .finally(done);
  };
}

/** The paths of the protocol API endpoints a provider serves (disabled features have none), per provider. */
function protocolApiPaths(): (provider: Provider) => ReadonlySet<string> {
  const paths = new WeakMap<Provider, ReadonlySet<string>>();
  return (provider) => {
    let set = paths.get(provider);
    if (!set) {
      set = new Set(PROTOCOL_API_ROUTES.flatMap((route) => routePath(provider, route) ?? []));
      paths.set(provider, set);
    }
    return set;
  };
}

function refusalOf(
  req: IncomingMessage,
  path: string,
  query: string,
  keyProblem: string | undefined,
): typeof CONTROL_CHARS_REFUSED | typeof SIGNING_UNAVAILABLE | undefined {
  if (hostileRequest({ path, query, authorization: req.headers.authorization ?? '' }))
    return CONTROL_CHARS_REFUSED;
  return keyProblem ? SIGNING_UNAVAILABLE : undefined;
}

function answerJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  if (status === 503) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  res.end(text);
}
