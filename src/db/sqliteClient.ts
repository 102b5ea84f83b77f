import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { openSqliteReader, type SqliteReadConnection, type SqliteReadMemory } from './sqliteReader.js';

// knex's own better-sqlite3 dialect, with two changes. Statements are prepared once per connection (below).
// And a transaction opens with BEGIN IMMEDIATE, not BEGIN.
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

interface Statement {
  reader: boolean;
  safeIntegers(on: boolean): unknown;
  all(bindings: unknown[]): unknown;
  run(bindings: unknown[]): { lastInsertRowid: unknown; changes: number };
}
type Connection = { prepare(sql: string): Statement } & object;
interface QueryObject {
  sql?: string;
  bindings?: unknown[];
  options?: unknown;
  response?: unknown;
  context?: unknown;
}

// Distinct SQL texts kept prepared per connection (the app has a few hundred; bulk inserts of varying
// length make more, so the oldest is dropped past this).
const PREPARED_PER_CONNECTION = 1000;

// by connection (knex runs transactions on a client derived from this one, so it is not kept on `this`)
const preparedByConnection = new WeakMap<Connection, Map<string, Statement>>();

// SQLite's own default page cache (2000 KiB) and no memory map, unless createDb is told otherwise
const DEFAULT_READ_MEMORY: SqliteReadMemory = { cacheKiB: 2000, mmapBytes: 0 };

class ImmediateSqliteClient extends BetterSqlite3Client {
  // The read connection (sqliteReader.ts), opened on first use and closed with the pool. Kept in a holder
  // so that a transaction's client, derived from this one, shares it rather than opening its own.
  private readonly readerSlot: { conn?: SqliteReadConnection } = {};

  /** The read connection; undefined for an in-memory database, which a second connection would not see. */
  reader(): SqliteReadConnection | undefined {
    const settings = this.connectionSettings as { filename: string; read?: SqliteReadMemory };
    if (settings.filename === ':memory:') return undefined;
    const slot = this.readerSlot;
    if (!slot.conn?.open)
      slot.conn = openSqliteReader(settings.filename, settings.read ?? DEFAULT_READ_MEMORY);
    return slot.conn;
  }

  async destroy(callback?: (err?: unknown) => void): Promise<unknown> {
    this.readerSlot.conn?.close();
    this.readerSlot.conn = undefined;
    return (BetterSqlite3Client.prototype.destroy as (cb?: unknown) => Promise<unknown>).call(this, callback);
  }

  transaction(...args: unknown[]): unknown {
    return new ImmediateTransaction(this, ...args);
  }

  // knex's own _query, but each SQL text is prepared once per connection: re-preparing the same
  // statement on every query was a tenth of a userinfo request's CPU.
  async _query(connection: Connection, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty');
    if (!connection) throw new Error('No connection provided');
    let cache = preparedByConnection.get(connection);
    if (!cache) {
      cache = new Map();
      preparedByConnection.set(connection, cache);
    }
    let statement = cache.get(obj.sql);
    if (statement) {
      // most recently used last, so the first is the one to drop
      cache.delete(obj.sql);
    } else {
      statement = connection.prepare(obj.sql);
      if (cache.size >= PREPARED_PER_CONNECTION) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    cache.set(obj.sql, statement);
    const self = this as unknown as {
      _optSafeIntegers(options: unknown): boolean | undefined;
      _formatBindings(bindings: unknown[] | undefined): unknown[];
    };
    // A cached statement keeps the last setting: always set it (better-sqlite3's default is off).
    statement.safeIntegers(self._optSafeIntegers(obj.options) ?? false);
    const bindings = self._formatBindings(obj.bindings);
    if (statement.reader) {
      obj.response = await statement.all(bindings);
      return obj;
    }
    const response = await statement.run(bindings);
    obj.response = response;
    obj.context = { lastID: response.lastInsertRowid, changes: response.changes };
    return obj;
  }
}

export const immediateSqliteClient = ImmediateSqliteClient as unknown as typeof Knex.Client;
