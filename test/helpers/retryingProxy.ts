import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request to one node, on a new connection (as nginx does by default), the answer read whole. */
function forward(port: number, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, connection: 'close' }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface RetryingProxy {
  url: string;
  /** requests passed to the next node: the first refused the connection, cut it before answering, or said 503 */
  retried: number;
  close(): Promise<void>;
}

/**
 * A round-robin load balancer in front of several nodes, as the README's nginx sample is configured
 * (`proxy_next_upstream error timeout http_503`): a request goes to the next node when one cannot be reached
 * or answers 503; only when every node failed does the client get 502.
 */
export async function startRetryingProxy(port: number, nodePorts: () => number[]): Promise<RetryingProxy> {
  let turn = 0;
  const proxy: RetryingProxy = { url: `http://127.0.0.1:${port}`, retried: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const ports = nodePorts();
      const first = turn++;
      for (let k = 0; k < ports.length; k++) {
        const last = k === ports.length - 1;
        try {
          const answer = await forward(
            ports[(first + k) % ports.length] as number,
            req.method ?? 'GET',
            req.url ?? '/',
            req.headers,
            body,
          );
          if (answer.status === 503 && !last) {
            proxy.retried++;
            continue;
          }
          const headers = { ...answer.headers };
          delete headers['transfer-encoding'];
          delete headers.connection;
          res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
          res.end(answer.body);
          return;
        } catch {
          proxy.retried++;
        }
      }
      res.writeHead(502).end('no node answered');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  proxy.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return proxy;
}
