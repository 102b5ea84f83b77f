import { createRequire } from 'node:module';
import type { Knex } from 'knex';

// knex's own better-sqlite3 dialect, with one change: a transaction opens with BEGIN IMMEDIATE, not BEGIN.
// A deferred transaction that reads and then writes cannot write at all once another connection (a
// worker, another process, the CLI) committed in between: SQLite answers SQLITE_BUSY_SNAPSHOT at once,
// whatever the busy timeout. IMMEDIATE takes the write lock at BEGIN, waiting up to the busy timeout for
// it, so the transaction then reads and writes one consistent state. Every transaction here writes, so
// none pays for a lock it does not need. (knex offers no option for this: its SQLite transaction always
// sends BEGIN.)
const require = createRequire(import.meta.url);
type Ctor = new (...args: unknown[]) => Record<string, unknown>;
const BetterSqlite3Client = require('knex/lib/dialects/better-sqlite3/index.js') as Ctor;
const SqliteTransaction = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction.js') as Ctor;

class ImmediateTransaction extends SqliteTransaction {
  begin(conn: unknown): unknown {
    return (this.query as (conn: unknown, sql: string) => unknown)(conn, 'BEGIN IMMEDIATE;');
  }
}

class ImmediateSqliteClient extends BetterSqlite3Client {
  transaction(...args: unknown[]): unknown {
    return new ImmediateTransaction(this, ...args);
  }
}

export const immediateSqliteClient = ImmediateSqliteClient as unknown as typeof Knex.Client;
