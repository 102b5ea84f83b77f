import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BackupRefused } from './backupErrors.js';

type Sqlite = Database.Database;

function tableCount(conn: Sqlite): number {
  const row = conn
    .prepare("select count(*) as n from sqlite_master where type = 'table' and name not like 'sqlite_%'")
    .get() as { n: number };
  return row.n;
}

function checkIntegrity(conn: Sqlite, what: string): void {
  const result = conn.pragma('quick_check', { simple: true });
  if (result !== 'ok') throw new BackupRefused(`${what} is damaged: ${String(result)}`);
}

/** What the copy itself says: its last migration and its signing keys (read from the copy, so they match it). */
export interface SqliteContents {
  migration: string;
  keys: { kid: string; state: string }[];
}

function contentsOf(conn: Sqlite): SqliteContents {
  const last = conn.prepare('select name from knex_migrations order by id desc limit 1').get() as
    | { name: string }
    | undefined;
  const keys = conn.prepare('select kid, state from signing_keys order by created_at, kid').all() as {
    kid: string;
    state: string;
  }[];
  return { migration: last?.name ?? '', keys };
}

/**
 * Copies a live SQLite database with SQLite's online backup API (better-sqlite3's `backup`): the copy is one
 * consistent state even while the server writes, and the server is never stopped.
 */
export async function backupSqlite(opts: { file: string; dest: string }): Promise<SqliteContents> {
  if (!existsSync(opts.file)) throw new BackupRefused(`database file ${opts.file} does not exist`);
  const source = new Database(opts.file, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // All pages in one step: a backup taken in steps of 100 pages starts again whenever a server commits in
    // between, and under steady writes a large database would never finish. One step holds a read
    // snapshot; in WAL mode the servers keep writing meanwhile.
    await source.backup(opts.dest, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  chmodSync(opts.dest, 0o600);
  const copy = new Database(opts.dest, { fileMustExist: true });
  try {
    // One file, no -wal beside it: the backup is a single self-contained file.
    copy.pragma('journal_mode = DELETE');
    checkIntegrity(copy, `the copy ${opts.dest}`);
    return contentsOf(copy);
  } finally {
    copy.close();
  }
}

/** How many tables the database at `file` holds (0 when there is no file yet). */
export function sqliteTableCount(file: string): number {
  if (!existsSync(file) || statSync(file).size === 0) return 0;
  const conn = new Database(file, { fileMustExist: true });
  try {
    return tableCount(conn);
  } finally {
    conn.close();
  }
}

/**
 * Replaces the database at `file` by the backup `source`, whole or not at all: the backup is copied and
 * checked beside the target, then renamed over it (one atomic step). The old database's WAL is emptied
 * and removed first, so none of its pages can be applied to the restored file.
 */
export function restoreSqlite(opts: { file: string; source: string }): void {
  const tmp = `${opts.file}.restore-${process.pid}`;
  mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
  rmSync(tmp, { force: true });
  try {
    copyFileSync(opts.source, tmp);
    chmodSync(tmp, 0o600);
    const copy = new Database(tmp, { fileMustExist: true });
    try {
      checkIntegrity(copy, `the backup ${opts.source}`);
      copy.pragma('journal_mode = WAL');
    } finally {
      copy.close();
    }
    if (existsSync(opts.file) && statSync(opts.file).size > 0) {
      const old = new Database(opts.file, { fileMustExist: true });
      try {
        old.pragma('busy_timeout = 5000');
        old.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        old.close();
      }
    }
    for (const f of [`${opts.file}-wal`, `${opts.file}-shm`, `${opts.file}-journal`])
      rmSync(f, { force: true });
    renameSync(tmp, opts.file);
  } finally {
    rmSync(tmp, { force: true });
    for (const f of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}
