import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import knex from 'knex';
import { createDb, type Db } from '../../src/db/createDb.js';
import { migrateLatest } from '../../src/db/migrate.js';

export interface FreshDatabase {
  /** DATABASE_URL for the server under test */
  url: string;
  /** the bench's own connection (seeding, pools); closed by drop() */
  db: Db;
  describe: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database with the schema applied: a SQLite file in the run's folder, or a PostgreSQL database
 * created on the given server and dropped at the end.
 */
export async function freshDatabase(opts: {
  engine: 'sqlite' | 'pg';
  pgUrl: string;
  runDir: string;
}): Promise<FreshDatabase> {
  if (opts.engine === 'sqlite') {
    mkdirSync(opts.runDir, { recursive: true });
    const url = `sqlite:${join(opts.runDir, 'hawiya.db')}`;
    // The bench's own writes (seeding) need no power-cut safety; the server keeps its FULL default.
    const db = createDb(url, { sqliteSynchronous: 'NORMAL' });
    // Seeding a million rows into indexed tables thrashes SQLite's 2 MiB default page cache (bench's connection only).
    await db.raw('PRAGMA cache_size = -262144');
    await migrateLatest(db);
    return {
      url,
      db,
      describe: `SQLite (new file, WAL, synchronous=${process.env.SQLITE_SYNCHRONOUS ?? 'FULL'} in the server)`,
      drop: () => db.destroy(),
    };
  }
  const name = `hawiya_bench_${process.pid}_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: `${opts.pgUrl}/postgres`, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = `${opts.pgUrl}/${name}`;
  const db = createDb(url, { poolMax: 4 });
  await migrateLatest(db);
  return {
    url,
    db,
    describe: `PostgreSQL (new database ${name}, dropped at the end)`,
    async drop() {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
