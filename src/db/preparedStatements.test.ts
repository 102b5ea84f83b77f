import { readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { createPreparedStatements } from './preparedStatements.js';

describe.each(ENGINES)('held writes (a token answer) on %s', (engine) => {
  let t: TestDb;
  afterEach(async () => {
    await t?.destroy();
  });

  const INSERT = 'insert into "audit_events" ("at", "event", "details") values (?, ?, ?)';
  const events = async () => (await t.db('audit_events').orderBy('at').select('event')).map((r) => r.event);

  it('are written once the body has finished, together, before holdingWrites returns', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    const seenInBody: unknown[] = [];
    const result = await sql.holdingWrites(async () => {
      expect(sql.holding()).toBe(true);
      await sql.runHeld(INSERT, [1, 'first', '{}']);
      await sql.runHeld(INSERT, [2, 'second', '{}']);
      seenInBody.push(...(await events()));
      return 'answer';
    });
    expect(result).toBe('answer');
    expect(seenInBody).toEqual([]);
    expect(await events()).toEqual(['first', 'second']);
    expect(sql.holding()).toBe(false);
  });

  it('are written in the order asked, as one transaction (one commit)', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    const seen: string[] = [];
    const listen = (q: { sql: string }) => seen.push(q.sql.trim().split(' ')[0]?.toLowerCase() ?? '');
    t.db.on('query', listen);
    try {
      await sql.holdingWrites(async () => {
        await sql.runHeld(INSERT, [1, 'ended', '{}']);
        await sql.runHeld('delete from "audit_events" where "event" = ?', ['ended']);
        await sql.runHeld(INSERT, [2, 'begun', '{}']);
      });
    } finally {
      t.db.off('query', listen);
    }
    // the delete ran after the insert it undoes
    expect(await events()).toEqual(['begun']);
    expect(seen).toEqual(['begin', 'insert', 'delete', 'insert', 'commit']);
  });

  it('outside holdingWrites, a held write is written at once', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    await sql.runHeld(INSERT, [1, 'now', '{}']);
    expect(await events()).toEqual(['now']);
  });

  it('a body that fails writes nothing it held', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    await expect(
      sql.holdingWrites(async () => {
        await sql.runHeld(INSERT, [1, 'issued', '{}']);
        throw new Error('signing failed');
      }),
    ).rejects.toThrow('signing failed');
    expect(await events()).toEqual([]);
  });

  it('a held write that fails fails the scope (the answer), and none of the others is written', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    await expect(
      sql.holdingWrites(async () => {
        await sql.runHeld(INSERT, [1, 'grant', '{}']);
        await sql.runHeld('insert into "no_such_table" ("x") values (?)', [1]);
        await sql.runHeld(INSERT, [2, 'interaction_result', '{}']);
      }),
    ).rejects.toThrow(/no_such_table/);
    expect(await events()).toEqual([]);
  });

  it("a reported write is kept apart: stored even when the answer's own writes fail", async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    const failures: unknown[] = [];
    await expect(
      sql.holdingWrites(async () => {
        await sql.runHeld(INSERT, [1, 'token', '{}']);
        await sql.runHeld(INSERT, [2, 'device_seen', '{}'], { onFailure: (err) => failures.push(err) });
        await sql.runHeld('insert into "no_such_table" ("x") values (?)', [1]);
      }),
    ).rejects.toThrow(/no_such_table/);
    expect(failures).toEqual([]);
    expect(await events()).toEqual(['device_seen']);
  });

  it('with onFailure, its failure goes there and the scope succeeds (a record never fails an answer)', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    const failures: unknown[] = [];
    await sql.holdingWrites(async () => {
      await sql.runHeld(INSERT, [1, 'token', '{}']);
      await sql.runHeld('insert into "no_such_table" ("x") values (?)', [1], {
        onFailure: (err) => failures.push(err),
      });
    });
    expect(failures).toHaveLength(1);
    expect(await events()).toEqual(['token']);
  });

  it('a held write that must change a row and finds none fails the scope: none of its writes is stored', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    await sql.run(INSERT, [1, 'token', '{}']);
    const UPDATE = 'update "audit_events" set "details" = ? where "event" = ?';
    // the row is there: stored with the rest
    await sql.holdingWrites(async () => {
      await sql.runHeld(UPDATE, ['{"v":2}', 'token'], { mustChange: true });
      await sql.runHeld(INSERT, [2, 'consent_granted', '{}']);
    });
    expect(await events()).toEqual(['token', 'consent_granted']);
    // the row is gone (a withdrawn consent): the scope fails, its audit record is not stored
    await expect(
      sql.holdingWrites(async () => {
        await sql.runHeld(UPDATE, ['{"v":3}', 'withdrawn'], { mustChange: true });
        await sql.runHeld(INSERT, [3, 'consent_granted', '{}']);
      }),
    ).rejects.toThrow(/no row changed/);
    expect(await events()).toEqual(['token', 'consent_granted']);
  });

  it('onStored hears of a held write only once it is committed, never when it is not', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    const stored: string[] = [];
    const heard = (what: string) => ({ onStored: () => stored.push(what) });
    await sql.holdingWrites(async () => {
      await sql.runHeld(INSERT, [1, 'consent_granted', '{}'], heard('first'));
      // still held: not in the database, so not heard of yet
      expect(stored).toEqual([]);
    });
    expect(stored).toEqual(['first']);
    await expect(
      sql.holdingWrites(async () => {
        await sql.runHeld(INSERT, [2, 'consent_granted', '{}'], heard('rolled back'));
        await sql.runHeld('insert into "no_such_table" ("x") values (?)', [1]);
      }),
    ).rejects.toThrow(/no_such_table/);
    // outside a scope: written at once, heard of once written
    await sql.runHeld(INSERT, [3, 'login_succeeded', '{}'], heard('at once'));
    expect(stored).toEqual(['first', 'at once']);
    expect(await events()).toEqual(['consent_granted', 'login_succeeded']);
  });
});

describe.each(ENGINES)('reads (a token check) on %s', (engine) => {
  let t: TestDb;
  afterEach(async () => {
    await t?.destroy();
  });

  const INSERT = 'insert into "audit_events" ("at", "event", "details") values (?, ?, ?)';
  const EVENTS = 'select "event" from "audit_events" order by "at"';
  const eventsRead = async (sql: ReturnType<typeof createPreparedStatements>) =>
    (await sql.all<{ event: string }>(EVENTS, [])).map((r) => r.event);

  it('answer while a write transaction is open and waiting, with what is committed', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    await sql.run(INSERT, [1, 'committed', '{}']);
    let seenDuring: string[] = [];
    await t.db.transaction(async (trx) => {
      await trx('audit_events').insert({ at: 2, event: 'in progress', details: '{}' });
      // the transaction holds its connection (on SQLite the only writer) while this read runs
      seenDuring = await eventsRead(sql);
    });
    expect(seenDuring).toEqual(['committed']);
    expect(await eventsRead(sql)).toEqual(['committed', 'in progress']);
  });

  it('see a write as soon as it is acknowledged: a prepared write, a held write, a knex transaction', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    await sql.run(INSERT, [1, 'written', '{}']);
    expect(await eventsRead(sql)).toEqual(['written']);
    await sql.holdingWrites(async () => {
      await sql.runHeld(INSERT, [2, 'held', '{}']);
    });
    expect(await eventsRead(sql)).toEqual(['written', 'held']);
    await t.db.transaction(async (trx) => {
      await trx('audit_events').insert({ at: 3, event: 'transaction', details: '{}' });
    });
    expect(await eventsRead(sql)).toEqual(['written', 'held', 'transaction']);
    await t.db('audit_events').where({ event: 'written' }).delete();
    expect(await sql.get<{ event: string }>(EVENTS, [])).toEqual({ event: 'held' });
  });

  it('fail like any query for bad SQL, and never write', async () => {
    t = await createTestDb(engine);
    const sql = createPreparedStatements(t.db);
    await expect(sql.get('select * from "no_such_table"', [])).rejects.toThrow(/no_such_table/);
    if (engine === 'sqlite') {
      // the read connection is read-only: a write handed to a read is refused, not run
      await expect(sql.all(`${INSERT} returning "event"`, [1, 'sneaked', '{}'])).rejects.toThrow(/readonly/i);
      expect(await eventsRead(sql)).toEqual([]);
    }
  });
});

describe('the SQLite read connection', () => {
  it('is closed with the database (db.destroy): no file of it is left open', async () => {
    const t = await createTestDb('sqlite');
    const file = t.url.slice('sqlite:'.length);
    const openFiles = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(file);
        } catch {
          return false; // closed while listed
        }
      }).length;
    const sql = createPreparedStatements(t.db);
    await sql.get('select 1 as "one"', []);
    expect(openFiles()).toBeGreaterThan(0);
    await t.destroy();
    expect(openFiles()).toBe(0);
  });
});

describe('held writes on PostgreSQL, when it answers with a deadlock', () => {
  let t: TestDb;
  afterEach(async () => {
    await t?.destroy();
  });
  const INSERT = 'insert into "audit_events" ("at", "event", "details") values (?, ?, ?)';

  /** The next `times` audit inserts fail as a deadlock victim's would (SQLSTATE 40P01), then they pass. */
  async function deadlocks(times: number): Promise<void> {
    await t.db.raw('create sequence if not exists hawiya_test_deadlocks');
    await t.db.raw('alter sequence hawiya_test_deadlocks restart with 1');
    await t.db.raw(`create or replace function hawiya_test_deadlock() returns trigger language plpgsql as $$
      begin
        if nextval('hawiya_test_deadlocks') <= ${times} then
          raise exception 'deadlock detected' using errcode = '40P01';
        end if;
        return new;
      end $$`);
    await t.db.raw(`create or replace trigger hawiya_test_deadlock before insert on audit_events
      for each row execute function hawiya_test_deadlock()`);
  }

  it("runs an answer's writes again, whole, when PostgreSQL undoes them as a deadlock's victim", async () => {
    t = await createTestDb('pg');
    const sql = createPreparedStatements(t.db);
    await deadlocks(2);
    await sql.holdingWrites(async () => {
      await sql.runHeld(INSERT, [1, 'token', '{}']);
      await sql.runHeld(INSERT, [2, 'consent_granted', '{}']);
    });
    expect(await t.db('audit_events').orderBy('at').pluck('event')).toEqual(['token', 'consent_granted']);
  });

  it('gives up after three attempts: the answer fails and nothing of it is stored', async () => {
    t = await createTestDb('pg');
    const sql = createPreparedStatements(t.db);
    await deadlocks(3);
    await expect(
      sql.holdingWrites(async () => {
        await sql.runHeld(INSERT, [1, 'token', '{}']);
        await sql.runHeld(INSERT, [2, 'consent_granted', '{}']);
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(await t.db('audit_events').pluck('event')).toEqual([]);
  });
});
