import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import knex, { type Knex } from 'knex';
import type pg from 'pg';
import { immediateSqliteClient } from './sqliteClient.js';
import type { SqliteReadMemory } from './sqliteReader.js';

export type Db = Knex;
export type DbEngine = 'sqlite' | 'pg';
/**
 * SQLite's `synchronous` setting. FULL (the default) syncs the WAL at every commit, so an answered write
 * survives a power cut; NORMAL syncs only at checkpoints: faster, but the last commits before a power
 * failure (not a process crash) can be lost.
 */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

let pgModule: typeof pg | undefined;

/** The pg driver, loaded on first use (about 3 MiB of heap a SQLite deployment never needs). */
export function pgDriver(): typeof pg {
  if (!pgModule) {
    pgModule = createRequire(import.meta.url)('pg') as typeof pg;
    // int8 columns hold epoch milliseconds: return them as numbers, not strings.
    pgModule.types.setTypeParser(20, (v) => Number(v));
  }
  return pgModule;
}

export function engineOf(databaseUrl: string): DbEngine {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'pg';
}

/**
 * The database holds password hashes, sessions and the audit: only the owner may read it. The file is
 * created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database file's mode), and
 * a file an earlier version left world-readable is narrowed. A new folder for it is 0700.
 */
function ownerOnly(filename: string): void {
  mkdirSync(dirname(filename), { recursive: true, mode: 0o700 });
  if (!existsSync(filename)) closeSync(openSync(filename, 'a', 0o600));
  for (const f of [filename, `${filename}-wal`, `${filename}-shm`, `${filename}-journal`]) {
    if (existsSync(f)) chmodSync(f, 0o600);
  }
}

/**
 * sqlite:<file> is the embedded default (WAL, one writer at a time, busy timeout, transactions that take
 * the write lock at BEGIN); postgres://… is for several nodes behind a load balancer. `schema` isolates
 * test runs on PostgreSQL.
 */
export function createDb(
  databaseUrl: string,
  options: {
    schema?: string;
    poolMax?: number;
    sqliteSynchronous?: SqliteSynchronous;
    /** the read connection's memory (sqliteReader.ts); SQLite's defaults when not given */
    sqliteRead?: SqliteReadMemory;
  } = {},
): Db {
  if (engineOf(databaseUrl) === 'sqlite') {
    const filename = databaseUrl.slice('sqlite:'.length);
    if (filename !== ':memory:') ownerOnly(filename);
    return knex({
      client: immediateSqliteClient,
      // `read` is ours (knex passes the object on as it is): sqliteClient.ts opens the read connection with it
      connection: { filename, read: options.sqliteRead } as Knex.Sqlite3ConnectionConfig,
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          conn.pragma(`synchronous = ${options.sqliteSynchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
          done(null, conn);
        },
      },
    });
  }
  pgDriver();
  return knex({
    client: 'pg',
    connection: databaseUrl,
    searchPath: options.schema ? [options.schema] : undefined,
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
}
