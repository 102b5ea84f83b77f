import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PG_URL } from '../../test/helpers/testDb.js';
import { createDb } from './createDb.js';
import { listenPg, type PgListener } from './pgListener.js';

const waitFor = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!ok()) throw new Error(`gave up waiting: ${what}`);
};

describe('listenPg (PostgreSQL LISTEN on a connection of its own)', () => {
  const db = createDb(PG_URL);
  let listener: PgListener | undefined;
  afterEach(async () => {
    await listener?.close();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('hears a NOTIFY at commit, and reconnects (catching up once) when its connection is killed', async () => {
    const channel = `test_${Date.now().toString(36)}`;
    let heard = 0;
    const states: boolean[] = [];
    listener = listenPg({
      url: PG_URL,
      channel,
      onNotify: () => heard++,
      onState: (up) => states.push(up),
      retryMs: 50,
    });
    const l = listener;
    await waitFor('listening', () => l.listening);
    // One catch-up call when the connection comes up.
    expect(heard).toBe(1);

    // A NOTIFY inside a transaction is heard when it commits, not before, and never after a rollback.
    await db
      .transaction(async (trx) => {
        await trx.raw('select pg_notify(?, ?)', [channel, 'x']);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await db.raw('select pg_notify(?, ?)', [channel, 'x']);
    await waitFor('the committed notification', () => heard === 2);

    const pid = l.backendPid;
    await db.raw('select pg_terminate_backend(?)', [pid ?? 0]);
    await waitFor('a new connection', () => l.listening && l.backendPid !== pid);
    expect(states).toEqual([true, false, true]);
    expect(heard).toBe(3); // the catch-up after the reconnect
    await db.raw('select pg_notify(?, ?)', [channel, 'x']);
    await waitFor('a notification on the new connection', () => heard === 4);
  });
});

describe('listenPg: the channels of one process share one connection', () => {
  const db = createDb(PG_URL);
  const open: PgListener[] = [];
  afterAll(async () => {
    for (const l of open) await l.close();
    await db.destroy();
  });

  it('two channels on one backend; each hears only its own; closing one leaves the other listening', async () => {
    const keys = `test_keys_${Date.now().toString(36)}`;
    const clients = `test_clients_${Date.now().toString(36)}`;
    const heard = { keys: 0, clients: 0 };
    const a = listenPg({ url: PG_URL, channel: keys, onNotify: () => heard.keys++, retryMs: 50 });
    const b = listenPg({ url: PG_URL, channel: clients, onNotify: () => heard.clients++, retryMs: 50 });
    open.push(a, b);
    await waitFor('both listening', () => a.listening && b.listening);
    expect(a.backendPid).toBe(b.backendPid);
    expect(heard).toEqual({ keys: 1, clients: 1 }); // one catch-up each

    await db.raw('select pg_notify(?, ?)', [clients, 'x']);
    await waitFor('the clients notification', () => heard.clients === 2);
    expect(heard.keys).toBe(1);

    await a.close();
    expect(a.listening).toBe(false);
    expect(b.listening).toBe(true);
    await db.raw('select pg_notify(?, ?)', [keys, 'x']);
    await db.raw('select pg_notify(?, ?)', [clients, 'x']);
    await waitFor('the second clients notification', () => heard.clients === 3);
    expect(heard.keys).toBe(1);

    // Killing the shared connection: the remaining channel comes back on a new one.
    const pid = b.backendPid;
    await db.raw('select pg_terminate_backend(?)', [pid ?? 0]);
    await waitFor('a new connection', () => b.listening && b.backendPid !== pid);
    await b.close();
    expect(b.backendPid).toBeUndefined();
  });
});
