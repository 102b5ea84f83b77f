import { createRequire } from 'node:module';

/** What the read connection keeps in memory (see createDb's `sqliteRead`). */
export interface SqliteReadMemory {
  /** page cache, KiB (SQLite's own default is 2000) */
  cacheKiB: number;
  /** bytes of the file read through a memory map instead of read() calls; 0 for none */
  mmapBytes: number;
}

export interface SqliteReadConnection {
  readonly open: boolean;
  prepare(sql: string): {
    get(...values: unknown[]): unknown;
    all(...values: unknown[]): unknown[];
  };
  close(): unknown;
}

type Driver = new (
  filename: string,
  options: { readonly: boolean },
) => SqliteReadConnection & {
  pragma(s: string): unknown;
};

/**
 * A second, read-only connection to the database file, for the prepared reads every token request makes
 * (preparedStatements.ts): better-sqlite3 is synchronous, so a read here needs no pool round and, WAL
 * letting readers run beside the writer, never waits for a write transaction in progress. Each read is
 * its own read transaction, begun after it was asked for: every commit answered before it (a group
 * commit, a knex transaction) is seen. Read-only, so nothing can ever be written through it.
 */
export function openSqliteReader(filename: string, memory: SqliteReadMemory): SqliteReadConnection {
  const Database = createRequire(import.meta.url)('better-sqlite3') as Driver;
  const conn = new Database(filename, { readonly: true });
  try {
    // a reader can meet a lock too (the writer recovering or restarting the WAL): wait like the writer
    conn.pragma('busy_timeout = 5000');
    conn.pragma(`cache_size = ${-Math.floor(memory.cacheKiB)}`);
    conn.pragma(`mmap_size = ${Math.floor(memory.mmapBytes)}`);
  } catch (err) {
    conn.close();
    throw err;
  }
  return conn;
}
