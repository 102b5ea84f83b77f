import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './freePort.js';

export interface TcpProxy {
  port: number;
  /** stops listening and cuts every connection: to whoever uses it, the target is down */
  stop(): Promise<void>;
  /** listens again on the same port */
  start(): Promise<void>;
}

/** A loopback TCP proxy to 127.0.0.1:`targetPort`, to take a database away and bring it back. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const target = connect(targetPort, '127.0.0.1');
        track(client);
        track(target);
        client.pipe(target).pipe(client);
        client.on('error', () => target.destroy());
        target.on('error', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await start();
  return {
    port,
    start,
    async stop() {
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
