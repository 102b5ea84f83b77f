import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';

export type Db = Knex;
export type DbEngine = 'sqlite' | 'pg';

// int8 columns hold epoch milliseconds: return them as numbers, not strings.
pg.types.setTypeParser(20, (v) => Number(v));

export function engineOf(databaseUrl: string): DbEngine {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'pg';
}

/**
 * sqlite:<file> is the embedded default (WAL, one writer at a time, busy timeout);
 * postgres://… is for several nodes behind a load balancer. `schema` isolates test runs on PostgreSQL.
 */
export function createDb(databaseUrl: string, options: { schema?: string; poolMax?: number } = {}): Db {
  if (engineOf(databaseUrl) === 'sqlite') {
    const filename = databaseUrl.slice('sqlite:'.length);
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    return knex({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          conn.pragma('synchronous = NORMAL');
          done(null, conn);
        },
      },
    });
  }
  return knex({
    client: 'pg',
    connection: databaseUrl,
    searchPath: options.schema ? [options.schema] : undefined,
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
}
