import type { SqlValue } from './preparedStatements.js';

interface WriteStatement {
  run(...values: SqlValue[]): { changes: number };
}
export interface SqliteWriteConnection {
  prepare(sql: string): WriteStatement;
  readonly inTransaction: boolean;
}

/** One write of a group; `mustChange`: it fails (and its caller's writes with it) when it changes no row. */
export interface GroupWrite {
  sql: string;
  values: readonly SqlValue[];
  mustChange?: boolean;
}

interface Pending {
  /** one write, or several that are stored together or not at all (writeAll) */
  statements: readonly GroupWrite[];
  resolve(changes: number[]): void;
  reject(err: unknown): void;
}

/** A group-committed write (its changed rows), and `all`: several written together or not at all. */
export interface GroupCommitWrite {
  (sql: string, values: readonly SqlValue[]): Promise<number>;
  /**
   * Writes in this order, in the same savepoint of the group: if one fails, none of them is written and
   * the first failure is thrown (an answer's writes: a consent never kept without its audit record).
   */
  all(statements: readonly GroupWrite[]): Promise<number[]>;
}

/**
 * Group commit for SQLite. With synchronous=FULL every commit waits for an fsync of the WAL (~0.3 ms on
 * the bench's disk, more under load), and better-sqlite3 waits with the event loop blocked: four
 * autocommit writes per token request were most of a refresh's time. Writes asked for in the same turn
 * of the event loop (and while the connection is busy) are run in one transaction, each in its own
 * SAVEPOINT (or several of one caller in one, `all`) so one that fails is undone alone and fails alone, and every caller is answered only after the
 * COMMIT returned: an answered write is on disk exactly as before, with one fsync for the group.
 * `acquire`/`release` are the knex pool's, so a group waits for a knex transaction in progress and the
 * other way round; the transaction is BEGIN IMMEDIATE like every other here (see sqliteClient.ts).
 */
export function createGroupCommit(pool: {
  acquire(): Promise<unknown>;
  release(conn: unknown): Promise<unknown>;
  statement(conn: unknown, sql: string): WriteStatement;
}): GroupCommitWrite {
  let queue: Pending[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    let conn: unknown;
    try {
      conn = await pool.acquire();
    } catch (err) {
      const failed = queue;
      queue = [];
      scheduled = false;
      for (const p of failed) p.reject(err);
      return;
    }
    // Taken only now: writes asked for while the connection was busy join this group.
    const group = queue;
    queue = [];
    scheduled = false;
    // runGroup never throws; a failed release must not leave the callers unanswered either
    const outcomes = runGroup(conn as SqliteWriteConnection, group, (sql) => pool.statement(conn, sql));
    await pool.release(conn).catch(() => undefined);
    group.forEach((p, i) => {
      const o = outcomes[i] as Outcome;
      if ('err' in o) p.reject(o.err);
      else p.resolve(o.changes);
    });
  }

  const all: GroupCommitWrite['all'] = (statements) =>
    new Promise<number[]>((resolve, reject) => {
      queue.push({ statements, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // setImmediate, not a microtask: requests whose I/O arrived in this turn get to add their writes.
        setImmediate(() => void flush());
      }
    });
  const one = async (sql: string, values: readonly SqlValue[]) => (await all([{ sql, values }]))[0] ?? 0;
  return Object.assign(one, { all });
}

type Outcome = { changes: number[] } | { err: unknown };

/** Runs the writes in one transaction (one alone: as it is); never throws. */
function runGroup(
  conn: SqliteWriteConnection,
  group: readonly Pending[],
  statement: (sql: string) => WriteStatement,
): Outcome[] {
  const attempt = (p: Pending): Outcome => {
    try {
      return {
        changes: p.statements.map((s) => checkedChanges(s, statement(s.sql).run(...s.values).changes)),
      };
    } catch (err) {
      return { err };
    }
  };
  // one write alone runs as it is; several of one caller need the savepoint below to be undone together
  if (group.length === 1 && group[0]?.statements.length === 1) return [attempt(group[0])];
  const outcomes: Outcome[] = [];
  try {
    statement('BEGIN IMMEDIATE').run();
    for (const p of group) {
      statement('SAVEPOINT "hawiya_write"').run();
      const o = attempt(p);
      // SQLite rolled the whole transaction back (an I/O error, a full disk): nothing of it was written.
      if ('err' in o && !conn.inTransaction) return group.map(() => o);
      if ('err' in o) statement('ROLLBACK TO "hawiya_write"').run();
      statement('RELEASE "hawiya_write"').run();
      outcomes.push(o);
    }
    statement('COMMIT').run();
    return outcomes;
  } catch (err) {
    try {
      if (conn.inTransaction) statement('ROLLBACK').run();
    } catch {
      // already gone with the failure
    }
    return group.map(() => ({ err }));
  }
}

/** The rows a write changed; a `mustChange` write that changed none fails with NoRowChanged. */
export function checkedChanges(w: Pick<GroupWrite, 'sql' | 'mustChange'>, changes: number): number {
  if (w.mustChange && changes === 0) throw new NoRowChanged(w.sql);
  return changes;
}

/** A write that had to change a row (GroupWrite.mustChange) found none: the row is gone. */
export class NoRowChanged extends Error {
  constructor(sql: string) {
    super(`no row changed by: ${sql.slice(0, 80)}`);
    this.name = 'NoRowChanged';
  }
}
