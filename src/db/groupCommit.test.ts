import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupCommit } from './groupCommit.js';
import type { SqlValue } from './preparedStatements.js';

describe('group commit (SQLite)', () => {
  let dir: string;
  let conn: Database.Database;
  let other: Database.Database;
  let ran: string[];
  let busy: Promise<void> | undefined;
  let write: ReturnType<typeof createGroupCommit>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-group-'));
    conn = new Database(join(dir, 'a.db'));
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = FULL');
    conn.exec('create table t (id text primary key, n integer not null)');
    other = new Database(join(dir, 'a.db'));
    ran = [];
    busy = undefined;
    write = createGroupCommit({
      acquire: async () => {
        await busy;
        return conn;
      },
      release: async () => undefined,
      statement: (_c, sql) => {
        ran.push(sql.split(' ')[0] as string);
        return conn.prepare<SqlValue[]>(sql);
      },
    });
  });
  afterEach(() => {
    conn.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: string) => write('insert into t (id, n) values (?, 1)', [id]);
  const stored = () => other.prepare('select id from t order by id').pluck().all();

  it('writes asked for together share one transaction, each in its own savepoint', async () => {
    expect(await Promise.all([insert('a'), insert('b'), insert('c')])).toEqual([1, 1, 1]);
    expect(ran).toEqual(['BEGIN', ...Array(3).fill(['SAVEPOINT', 'insert', 'RELEASE']).flat(), 'COMMIT']);
    expect(stored()).toEqual(['a', 'b', 'c']);
  });

  it('a write alone runs as it is (its own commit)', async () => {
    expect(await insert('a')).toBe(1);
    expect(ran).toEqual(['insert']);
  });

  it('each caller is answered only once the group is committed (another connection sees it)', async () => {
    const seen: unknown[][] = [];
    await Promise.all(
      ['a', 'b'].map((id) =>
        insert(id).then(() => {
          expect(conn.inTransaction).toBe(false);
          seen.push(stored());
        }),
      ),
    );
    expect(seen).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('one failing write fails alone: the others are committed and answered', async () => {
    await insert('taken');
    const results = await Promise.allSettled([insert('a'), insert('taken'), insert('b')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(stored()).toEqual(['a', 'b', 'taken']);
  });

  it('writes asked for as one (all) are stored together or not at all, beside the others of the group', async () => {
    await insert('taken');
    const [together, other] = await Promise.allSettled([
      write.all([
        { sql: 'insert into t (id, n) values (?, 1)', values: ['x'] },
        { sql: 'insert into t (id, n) values (?, 1)', values: ['taken'] },
      ]),
      insert('y'),
    ]);
    expect(together?.status).toBe('rejected');
    expect(other).toEqual({ status: 'fulfilled', value: 1 });
    expect(stored()).toEqual(['taken', 'y']);
    expect(await write.all([{ sql: 'insert into t (id, n) values (?, 1)', values: ['z'] }])).toEqual([1]);
  });

  it('a later write in the group sees an earlier one (a second consume of the same row changes nothing)', async () => {
    await insert('a');
    const consume = () => write('update t set n = 0 where id = ? and n = 1', ['a']);
    expect(await Promise.all([consume(), consume()])).toEqual([1, 0]);
  });

  it('writes asked for while the connection is busy join the next group', async () => {
    let free = () => {};
    busy = new Promise((resolve) => {
      free = resolve;
    });
    const first = insert('a');
    await new Promise((resolve) => setImmediate(resolve));
    const later = [insert('b'), insert('c')];
    free();
    await Promise.all([first, ...later]);
    expect(ran.filter((s) => s === 'BEGIN')).toHaveLength(1);
    expect(stored()).toEqual(['a', 'b', 'c']);
  });

  it('when the group cannot commit, every caller is told', async () => {
    other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    conn.pragma('busy_timeout = 0');
    const results = await Promise.allSettled([insert('a'), insert('b')]);
    other.exec('ROLLBACK');
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(conn.inTransaction).toBe(false);
    expect(stored()).toEqual([]);
  });
});
