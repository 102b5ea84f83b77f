import type { Knex } from 'knex';
import { announceStatement } from './preparedStatements.js';

interface SqliteConnection {
  open: boolean;
  prepare(sql: string): { pluck(): { get(): unknown } };
}
interface PoolClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(conn: unknown): Promise<unknown>;
}

/**
 * A value that changes whenever another connection (another process, worker or CLI command) has committed
 * to the SQLite database since the last call: `PRAGMA data_version` on the pool's one connection, read
 * without waiting for the pool (the pragma is safe while a transaction of ours holds the connection), and
 * a new generation when the pool replaced that connection. Commits made through this connection do not
 * change it: the caller counts its own writes. (It stays on the write connection: asked on the read
 * connection, which never commits, it would change at this process's own commits too.)
 */
export function sqliteDataVersion(db: Knex): () => Promise<string> {
  const pool = db.client as unknown as PoolClient;
  let conn: SqliteConnection | undefined;
  let read: { get(): unknown } | undefined;
  let generation = 0;
  return async function dataVersion() {
    if (!conn?.open || !read) {
      const c = (await pool.acquireConnection()) as SqliteConnection;
      await pool.releaseConnection(c);
      conn = c;
      read = c.prepare('PRAGMA data_version').pluck();
      generation++;
    }
    announceStatement(db, 'PRAGMA data_version');
    return `${generation}.${String(read.get())}`;
  };
}
