import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { checkedChanges, createGroupCommit } from './groupCommit.js';
import type { SqliteReadConnection } from './sqliteReader.js';

export { checkedChanges, NoRowChanged } from './groupCommit.js';

/** A value bound to a statement's `?` placeholder. */
export type SqlValue = string | number | null;

/**
 * Fixed SQL run without knex's query builder, each statement prepared once per connection: for the few
 * statements every token request runs (oidc-provider's adapter). Knex rebuilt and better-sqlite3 re-prepared
 * the same SQL on every call, 30-40% of a userinfo request's CPU. SQL is written with `?` placeholders and
 * double-quoted identifiers, which SQLite and PostgreSQL both read. Each statement is still announced as a
 * knex `query` event (what a statement count or a debug log listens to). Writes take a connection from
 * knex's own pool, so they wait for a transaction in progress exactly as a knex query does; on SQLite they
 * are committed in groups (groupCommit.ts), and reads run at once on a read connection of their own
 * (sqliteReader.ts), seeing what is committed: never the inside of a knex transaction in progress (run a
 * read that must see one through that transaction). One set of statements per knex instance, so every user
 * of it shares the groups.
 */
export interface PreparedStatements {
  /** the first row, or undefined */
  get<T = Record<string, unknown>>(sql: string, values: readonly SqlValue[]): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, values: readonly SqlValue[]): Promise<T[]>;
  /** runs a write; the number of rows it changed, once committed */
  run(sql: string, values: readonly SqlValue[]): Promise<number>;
  /**
   * A write of a new row nothing reads back before the answer goes out (a token just issued): inside
   * holdingWrites it is kept until that scope's body has finished; elsewhere it is run at once. With
   * `onFailure`, its failure is handed there instead of failing the scope (a record that must never
   * fail an answer). `onStored` is called once the write is committed, never if it is not (the log line
   * of an audit record, which must not claim what was not stored).
   */
  runHeld(sql: string, values: readonly SqlValue[], on?: HeldWriteCallbacks): Promise<void>;
  /**
   * Runs `body`, then the writes it held, together and in order (one commit: on SQLite one group, on
   * PostgreSQL one transaction), and returns once they are committed. They are stored together or not at
   * all: if one fails, none is written and the first failure is thrown (a consent's grant is never kept
   * without its audit record, nor a login's session without its code); a write with `onFailure` stands
   * alone. The caller answers only after this, so an answered write is still on disk; a body that fails
   * writes none of what it held.
   */
  holdingWrites<T>(body: () => Promise<T>): Promise<T>;
  /** whether runHeld would hold a write here */
  holding(): boolean;
}

/** What a held write's caller hears of it (PreparedStatements.runHeld). */
export interface HeldWriteCallbacks {
  onFailure?: (err: unknown) => void;
  onStored?: () => void;
  /**
   * the write fails (and the scope with it: none of its writes is stored) when it changes no row: an update
   * of a row the answer depends on, which may have been deleted since it was read (a withdrawn consent)
   */
  mustChange?: boolean;
}
type Write = { sql: string; values: readonly SqlValue[] } & HeldWriteCallbacks;
type Runner = Pick<PreparedStatements, 'get' | 'all' | 'run'> & {
  /**
   * several writes in one commit, in order: those without `onFailure` all or none (each settles with the
   * first failure if one failed), each of the others alone
   */
  runTogether(writes: readonly Write[]): Promise<PromiseSettledResult<number>[]>;
};

/** runHeld and holdingWrites over a runner: one scope per holdingWrites call (async context). */
function withHolding(runner: Runner) {
  const scope = new AsyncLocalStorage<{ held: Write[]; open: boolean }>();
  const statements: PreparedStatements = {
    get: runner.get,
    all: runner.all,
    run: runner.run,
    holding: () => scope.getStore()?.open === true,
    async runHeld(sql, values, on = {}) {
      const current = scope.getStore();
      if (current?.open) {
        current.held.push({ sql, values, ...on });
        return;
      }
      try {
        checkedChanges({ sql, ...on }, await runner.run(sql, values));
      } catch (err) {
        if (!on.onFailure) throw err;
        on.onFailure(err);
        return;
      }
      on.onStored?.();
    },
    async holdingWrites(body) {
      const current = { held: [] as Write[], open: true };
      const result = await scope.run(current, body);
      // a write asked for after this point (something the body left running) is run at once
      current.open = false;
      const done = current.held.length > 0 ? await runner.runTogether(current.held) : [];
      let failure: { reason: unknown } | undefined;
      done.forEach((d, i) => {
        if (d.status === 'fulfilled') {
          current.held[i]?.onStored?.();
          return;
        }
        const { onFailure } = current.held[i] as Write;
        if (onFailure) onFailure(d.reason);
        else failure ??= { reason: d.reason };
      });
      if (failure) throw failure.reason;
      return result;
    },
  };
  return statements;
}

interface SqliteStatement {
  reader: boolean;
  get(...values: SqlValue[]): unknown;
  all(...values: SqlValue[]): unknown[];
  run(...values: SqlValue[]): { changes: number };
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
interface PgConnection {
  query(q: {
    name: string;
    text: string;
    values: SqlValue[];
  }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}
interface PoolClient {
  dialect: string;
  /** SQLite (sqliteClient.ts): the read connection, if the database has one */
  reader?(): SqliteReadConnection | undefined;
  acquireConnection(): Promise<unknown>;
  releaseConnection(conn: unknown): Promise<unknown>;
}

const byDb = new WeakMap<Knex, PreparedStatements>();

/** Announces a statement run outside knex's builder as a knex `query` event (what a statement count or a debug log listens to). */
export function announceStatement(db: Knex, sql: string, values: readonly SqlValue[] = []): void {
  if (db.listenerCount('query') > 0) db.emit('query', { sql, bindings: values, method: 'raw' });
}

export function createPreparedStatements(db: Knex): PreparedStatements {
  let made = byDb.get(db);
  if (!made) {
    made = statementsOf(db);
    byDb.set(db, made);
  }
  return made;
}

function statementsOf(db: Knex): PreparedStatements {
  const client = db.client as unknown as PoolClient;
  const sqlite = client.dialect !== 'postgresql';
  const announce = (sql: string, values: readonly SqlValue[]) => announceStatement(db, sql, values);

  async function withConnection<T>(use: (conn: unknown) => T | Promise<T>): Promise<T> {
    const conn = await client.acquireConnection();
    try {
      return await use(conn);
    } finally {
      await client.releaseConnection(conn);
    }
  }

  if (sqlite) {
    // better-sqlite3 statements belong to their connection; the pool may replace a connection.
    const prepared = new WeakMap<object, Map<string, SqliteStatement>>();
    const statement = (conn: unknown, sql: string): SqliteStatement => {
      const c = conn as SqliteConnection & object;
      let cache = prepared.get(c);
      if (!cache) {
        cache = new Map();
        prepared.set(c, cache);
      }
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = c.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    };
    // Reads run at once on the read connection (sqliteReader.ts): no pool round, no wait for a write
    // transaction in progress. An in-memory database has none: there they take the pool's connection.
    const read = <T>(use: (conn: unknown) => T): Promise<T> => {
      const reader = client.reader?.();
      if (!reader) return withConnection(use);
      try {
        return Promise.resolve(use(reader));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    const write = createGroupCommit({
      acquire: () => client.acquireConnection(),
      release: (conn) => client.releaseConnection(conn),
      statement,
    });
    return withHolding({
      get: (sql, values) => {
        announce(sql, values);
        return read((conn) => statement(conn, sql).get(...values) as never);
      },
      all: (sql, values) => {
        announce(sql, values);
        return read((conn) => statement(conn, sql).all(...values) as never);
      },
      run: (sql, values) => {
        announce(sql, values);
        return write(sql, values);
      },
      // Asked for in one turn, they fall in one group: one transaction, in this order (groupCommit.ts). The
      // writes without onFailure share one savepoint (all or none), each reported one has its own.
      // Announced as the transaction they are (what a commit count reads).
      runTogether: (writes) => {
        if (writes.length > 1) announce('BEGIN', []);
        const together = writes.filter((w) => !w.onFailure);
        let stored: Promise<number[]> | undefined;
        const done = Promise.allSettled(
          writes.map((w) => {
            announce(w.sql, w.values);
            if (w.onFailure) return write(w.sql, w.values);
            stored ??= write.all(together);
            return stored.then((changes) => changes[together.indexOf(w)] ?? 0);
          }),
        );
        if (writes.length > 1) announce('COMMIT', []);
        return done;
      },
    });
  }

  // PostgreSQL: named statements, which the server parses and plans once per connection.
  const names = new Map<string, { name: string; text: string }>();
  const named = (sql: string) => {
    let found = names.get(sql);
    if (!found) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      // Named after the text: every runner on the same pool gives one statement one name.
      found = { name: `hawiya_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`, text };
      names.set(sql, found);
    }
    return found;
  };
  const on = (conn: unknown, sql: string, values: readonly SqlValue[]) => {
    announce(sql, values);
    const { name, text } = named(sql);
    return (conn as PgConnection).query({ name, text, values: [...values] });
  };
  const query = (sql: string, values: readonly SqlValue[]) => withConnection((conn) => on(conn, sql, values));
  const run = async (sql: string, values: readonly SqlValue[]) => (await query(sql, values)).rowCount ?? 0;
  // In order on one connection, in one transaction: one WAL flush where each write had its own. A write
  // whose failure is only reported (onFailure) runs in a savepoint; any other failure (or a failed COMMIT)
  // undoes the transaction: then none of the writes without onFailure is stored (they fail with it, all
  // or none as on SQLite) and the reported ones are run one by one, each alone (the rare path).
  async function runTogether(writes: readonly Write[]): Promise<PromiseSettledResult<number>[]> {
    const alone = async (w: Write): Promise<PromiseSettledResult<number>> =>
      run(w.sql, w.values).then(
        (changes) => ({ status: 'fulfilled' as const, value: checkedChanges(w, changes) }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      );
    if (writes.length === 1) return [await alone(writes[0] as Write)];
    let failure: unknown;
    let together: PromiseSettledResult<number>[] | undefined;
    // A deadlock (two answers' writes locking the same rows in turn) is undone whole by PostgreSQL, which asks
    // the client to try again: the transaction is run again, at most three times in all.
    for (let attempt = 1; attempt <= 3 && !together; attempt++) {
      if (attempt > 1 && !isRetryable(failure)) break;
      together = await runOnce();
    }
    if (together) return together;
    const done: PromiseSettledResult<number>[] = [];
    for (const w of writes) done.push(w.onFailure ? await alone(w) : { status: 'rejected', reason: failure });
    return done;

    function runOnce() {
      return withConnection(async (conn) => {
        const plain = (sql: string) => {
          announce(sql, []);
          return (conn as { query(sql: string): Promise<unknown> }).query(sql);
        };
        const done: PromiseSettledResult<number>[] = [];
        try {
          await plain('BEGIN');
          for (const w of writes) {
            if (!w.onFailure) {
              const changes = (await on(conn, w.sql, w.values)).rowCount ?? 0;
              done.push({ status: 'fulfilled', value: checkedChanges(w, changes) });
              continue;
            }
            await plain('SAVEPOINT "hawiya_write"');
            try {
              done.push({ status: 'fulfilled', value: (await on(conn, w.sql, w.values)).rowCount ?? 0 });
            } catch (reason) {
              await plain('ROLLBACK TO SAVEPOINT "hawiya_write"');
              done.push({ status: 'rejected', reason });
            }
            await plain('RELEASE SAVEPOINT "hawiya_write"');
          }
          await plain('COMMIT');
          return done;
        } catch (err) {
          failure = err;
          await plain('ROLLBACK').catch(() => undefined);
          return undefined;
        }
      }).catch((err: unknown) => {
        failure = err; // no connection: the writes fail with it (a reported one is still tried alone)
        return undefined;
      });
    }
  }
  return withHolding({
    get: async (sql, values) => (await query(sql, values)).rows[0] as never,
    all: async (sql, values) => (await query(sql, values)).rows as never,
    run,
    runTogether,
  });
}

// PostgreSQL's "try again" answers: a deadlock, a serialization failure (under a stricter isolation).
const RETRYABLE_CODES = new Set(['40P01', '40001']);
function isRetryable(err: unknown): boolean {
  return RETRYABLE_CODES.has(String((err as { code?: unknown } | undefined)?.code));
}
