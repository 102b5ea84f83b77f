import type { Server, ServerResponse } from 'node:http';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Tracks a server's requests so that it can stop gracefully: stop accepting connections, let every request
 * already received finish (its answer says `Connection: close`, so no client sends another on it), close
 * idle keep-alive connections, and only after `graceMs` cut what is still running.
 */
export function gracefulServer(server: Server) {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (stopping) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  return {
    get inFlight(): number {
      return inFlight.size;
    },
    /** Resolves once the server is closed, with how many requests had to be cut at the deadline. */
    async stop(graceMs: number): Promise<{ cut: number }> {
      stopping = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        await sleep(25);
        server.closeIdleConnections();
      }
      const cut = inFlight.size;
      server.closeAllConnections();
      await closed;
      return { cut };
    },
  };
}
