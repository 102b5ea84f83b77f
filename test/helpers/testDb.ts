import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type Db, type DbEngine } from '../../src/db/createDb.js';
import { migrateLatest } from '../../src/db/migrate.js';

/** Both engines: every repository test runs on SQLite and on PostgreSQL. */
export const ENGINES: DbEngine[] = ['sqlite', 'pg'];

export const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  db: Db;
  engine: DbEngine;
  /** DATABASE_URL that reaches the same database (for a server or CLI started by the test) */
  url: string;
  /** PostgreSQL schema holding this test's tables */
  schema?: string;
  destroy(): Promise<void>;
}

/** A fresh, migrated database: a temporary SQLite file, or a new schema on the local PostgreSQL. */
export async function createTestDb(engine: DbEngine = 'sqlite'): Promise<TestDb> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hawiya-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const db = createDb(url);
    await migrateLatest(db);
    return {
      db,
      engine,
      url,
      async destroy() {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = createDb(PG_URL);
  await admin.raw(`create schema ${schema}`);
  await admin.destroy();
  const db = createDb(PG_URL, { schema });
  await migrateLatest(db);
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
  return {
    db,
    engine,
    url,
    schema,
    async destroy() {
      await db.destroy();
      const cleaner = createDb(PG_URL);
      await cleaner.raw(`drop schema if exists ${schema} cascade`);
      await cleaner.destroy();
    },
  };
}
