import { createServer, request } from 'node:http';

export interface HttpBalancer {
  url: string;
  /** requests sent to each upstream so far, in the order given */
  served: number[];
  /** sends every request to upstream `i`, or back to round-robin (undefined) */
  pin(i: number | undefined): void;
  close(): Promise<void>;
}

/**
 * A load balancer for tests: each request goes to the next upstream in turn (or the pinned one), so a
 * journey's consecutive requests alternate between nodes, which a per-connection TCP proxy would not do.
 */
export async function startHttpBalancer(port: number, upstreams: readonly string[]): Promise<HttpBalancer> {
  const served = upstreams.map(() => 0);
  let turn = 0;
  let pinned: number | undefined;
  const server = createServer((req, res) => {
    const i = pinned ?? turn++ % upstreams.length;
    served[i] = (served[i] ?? 0) + 1;
    const target = new URL(req.url ?? '/', upstreams[i]);
    const forward = request(target, { method: req.method, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    pin: (i) => {
      pinned = i;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
