import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** What a scrape answers: the exposition text and its content type. */
export interface Scrape {
  contentType: string;
  metrics(): Promise<string>;
}

/**
 * The metrics listener: its own port (METRICS_PORT on METRICS_HOST), never the public ones; GET /metrics
 * only; with a token, a scrape without `Authorization: Bearer <token>` gets 401.
 */
export function metricsHandler(scrape: Scrape, token: string | undefined) {
  const expected = token ? digest(token) : undefined;
  return async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return answer(res, 404, 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return answer(res, 405, 'method not allowed\n');
    }
    if (expected && !bearerMatches(req.headers.authorization, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return answer(res, 401, 'unauthorized\n');
    }
    try {
      const body = await scrape.metrics();
      res.setHeader('Content-Type', scrape.contentType);
      answer(res, 200, req.method === 'HEAD' ? '' : body);
    } catch (err) {
      answer(res, 503, `metrics unavailable: ${(err as Error).message}\n`);
    }
  };
}

export async function startMetricsServer(opts: {
  scrape: Scrape;
  port: number;
  host: string;
  token: string | undefined;
}): Promise<MetricsServer> {
  const handle = metricsHandler(opts.scrape, opts.token);
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/metrics`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
}

// Compared as digests: equal lengths, so timingSafeEqual never throws and the length is not told either.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer (\S+)$/i.exec(header ?? '');
  return m?.[1] !== undefined && timingSafeEqual(digest(m[1]), expected);
}
