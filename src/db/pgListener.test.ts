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
