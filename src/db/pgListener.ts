import type pg from 'pg';
import { pgDriver } from './createDb.js';

export interface PgListener {
  /** true while the LISTEN connection is up */
  readonly listening: boolean;
  /** the server process of the LISTEN connection (tests end it to prove the reconnect) */
  readonly backendPid: number | undefined;
  close(): Promise<void>;
}

/**
 * LISTENs on one PostgreSQL channel over a connection of its own (a pooled one would be handed to other
 * queries, and its LISTEN lost). When the connection drops it reconnects every `retryMs`; a notification
 * sent meanwhile is lost, so each (re)connection also calls `onNotify` once, to catch up.
 */
export function listenPg(opts: {
  url: string;
  channel: string;
  onNotify: () => void;
  /** the connection went down (with why) or came back up */
  onState?: (up: boolean, err?: Error) => void;
  retryMs?: number;
}): PgListener {
  if (!/^[a-z_][a-z0-9_]*$/.test(opts.channel)) throw new Error(`bad channel name ${opts.channel}`);
  const retryMs = opts.retryMs ?? 1000;
  let client: pg.Client | undefined;
  let pid: number | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  function drop(c: pg.Client, err?: Error): void {
    if (client !== c) return; // already dropped (an error is followed by an end)
    client = undefined;
    pid = undefined;
    c.end().catch(() => undefined);
    if (closed) return;
    opts.onState?.(false, err);
    retry = setTimeout(connect, retryMs);
    retry.unref();
  }

  async function connect(): Promise<void> {
    retry = undefined;
    if (closed) return;
    const c = new (pgDriver().Client)({ connectionString: opts.url, application_name: 'hawiya-listener' });
    client = c;
    c.on('notification', (msg) => {
      if (msg.channel === opts.channel) opts.onNotify();
    });
    c.on('error', (err) => drop(c, err));
    c.on('end', () => drop(c, new Error('connection ended')));
    try {
      await c.connect();
      await c.query(`LISTEN "${opts.channel}"`);
      const { rows } = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
      if (client !== c) return;
      pid = rows[0]?.pid;
      opts.onState?.(true);
      opts.onNotify();
    } catch (err) {
      drop(c, err as Error);
    }
  }

  void connect();
  return {
    get listening() {
      return client !== undefined && pid !== undefined;
    },
    get backendPid() {
      return pid;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
