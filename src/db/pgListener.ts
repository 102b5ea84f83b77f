import type pg from 'pg';
import { pgDriver } from './createDb.js';

export interface PgListener {
  /** true while this channel is LISTENed on an open connection */
  readonly listening: boolean;
  /** the server process of the LISTEN connection (tests end it to prove the reconnect) */
  readonly backendPid: number | undefined;
  close(): Promise<void>;
}

interface Subscriber {
  channel: string;
  onNotify: () => void;
  onState?: (up: boolean, err?: Error) => void;
  /** 'up' once its channel is LISTENed on the current connection */
  state: 'down' | 'joining' | 'up';
}

/** One connection per database URL in a process, shared by every channel listened to there. */
interface SharedConnection {
  add(sub: Subscriber): void;
  remove(sub: Subscriber): Promise<void>;
  readonly pid: number | undefined;
}

const shared = new Map<string, SharedConnection>();

/**
 * LISTENs on a PostgreSQL channel over a connection of its own (a pooled one would be handed to other
 * queries, and its LISTEN lost). Every channel a process listens to on one database shares that one
 * connection (key changes and client changes: one connection per process, not one per channel). When it
 * drops it reconnects every `retryMs` (the first listener's); a notification sent meanwhile is lost, so each
 * (re)connection also calls each `onNotify` once, to catch up.
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
  let connection = shared.get(opts.url);
  if (!connection) {
    const url = opts.url;
    connection = openShared(url, opts.retryMs ?? 1000, () => shared.delete(url));
    shared.set(url, connection);
  }
  const sub: Subscriber = {
    channel: opts.channel,
    onNotify: opts.onNotify,
    onState: opts.onState,
    state: 'down',
  };
  const used = connection;
  used.add(sub);
  let closed = false;
  return {
    get listening() {
      return !closed && sub.state === 'up';
    },
    get backendPid() {
      return used.pid;
    },
    async close() {
      if (closed) return;
      closed = true;
      await used.remove(sub);
    },
  };
}

function openShared(url: string, retryMs: number, forget: () => void): SharedConnection {
  const subs = new Set<Subscriber>();
  let client: pg.Client | undefined;
  let pid: number | undefined;
  let retry: NodeJS.Timeout | undefined;
  let listened = new Set<string>();
  let starting = false;

  function drop(c: pg.Client, err?: Error): void {
    if (client !== c) return; // already dropped (an error is followed by an end)
    client = undefined;
    pid = undefined;
    listened = new Set();
    c.end().catch(() => undefined);
    if (subs.size === 0) return;
    for (const sub of subs) {
      const wasUp = sub.state === 'up';
      sub.state = 'down';
      if (wasUp) sub.onState?.(false, err);
    }
    retry = setTimeout(connect, retryMs);
    retry.unref();
  }

  // LISTENs for every subscriber not yet up on this connection, then tells each it is up (and to catch up).
  async function join(c: pg.Client): Promise<void> {
    for (const sub of subs) {
      if (sub.state !== 'down') continue;
      sub.state = 'joining';
      try {
        if (!listened.has(sub.channel)) {
          await c.query(`LISTEN "${sub.channel}"`);
          listened.add(sub.channel);
        }
      } catch (err) {
        sub.state = 'down';
        drop(c, err as Error);
        return;
      }
      if (client !== c) return;
      if (!subs.has(sub)) continue;
      sub.state = 'up';
      sub.onState?.(true);
      sub.onNotify();
    }
  }

  async function connect(): Promise<void> {
    retry = undefined;
    if (subs.size === 0 || starting) return;
    starting = true;
    let c: pg.Client;
    try {
      const { Client } = await pgDriver();
      c = new Client({ connectionString: url, application_name: 'hawiya-listener' });
    } finally {
      starting = false;
    }
    if (subs.size === 0) return;
    client = c;
    c.on('notification', (msg) => {
      for (const sub of subs) if (sub.channel === msg.channel && sub.state === 'up') sub.onNotify();
    });
    c.on('error', (err) => drop(c, err));
    c.on('end', () => drop(c, new Error('connection ended')));
    try {
      await c.connect();
      const { rows } = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
      if (client !== c) return;
      pid = rows[0]?.pid;
    } catch (err) {
      drop(c, err as Error);
      return;
    }
    await join(c);
  }

  return {
    get pid() {
      return pid;
    },
    add(sub) {
      subs.add(sub);
      if (client && pid !== undefined) void join(client);
      else if (!client && !retry && !starting) void connect();
    },
    async remove(sub) {
      subs.delete(sub);
      const c = client;
      if (subs.size === 0) {
        forget();
        clearTimeout(retry);
        retry = undefined;
        client = undefined;
        pid = undefined;
        await c?.end().catch(() => undefined);
        return;
      }
      if (c && listened.has(sub.channel) && ![...subs].some((s) => s.channel === sub.channel)) {
        listened.delete(sub.channel);
        await c.query(`UNLISTEN "${sub.channel}"`).catch(() => undefined);
      }
    },
  };
}
