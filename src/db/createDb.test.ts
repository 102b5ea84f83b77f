import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from './createDb.js';
import { migrateLatest } from './migrate.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('createDb on SQLite', () => {
  let dir: string;
  let db: Db | undefined;
  afterEach(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('review item 9: the database file and its WAL and shared-memory files are readable by the owner only', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-db-'));
    const file = join(dir, 'var', 'hawiya.db');
    const previous = process.umask(0o022);
    try {
      db = createDb(`sqlite:${file}`);
      await migrateLatest(db);
      await db('audit_events').insert({ at: 1, event: 'x', details: '{}' });
    } finally {
      process.umask(previous);
    }
    expect(existsSync(`${file}-wal`)).toBe(true);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f), f).toBe(0o600);
    expect(modeOf(join(dir, 'var'))).toBe(0o700);
  });

  it('a success answer survives a power cut: WAL with synchronous FULL by default, NORMAL only when asked', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-db-'));
    db = createDb(`sqlite:${join(dir, 'a.db')}`);
    const pragma = async (d: Db, name: string) => Object.values((await d.raw(`pragma ${name}`))[0])[0];
    expect(await pragma(db, 'journal_mode')).toBe('wal');
    expect(await pragma(db, 'synchronous')).toBe(2); // FULL
    const normal = createDb(`sqlite:${join(dir, 'b.db')}`, { sqliteSynchronous: 'NORMAL' });
    expect(await pragma(normal, 'synchronous')).toBe(1);
    await normal.destroy();
  });

  it("the read connection (the token routes' reads) keeps the page cache and memory map it is given", async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-db-'));
    const readPragmas = (d: Db) => {
      const reader = (d.client as unknown as { reader(): Database.Database }).reader();
      return {
        cache: reader.pragma('cache_size', { simple: true }),
        mmap: reader.pragma('mmap_size', { simple: true }),
        readonly: reader.readonly,
      };
    };
    db = createDb(`sqlite:${join(dir, 'a.db')}`);
    // SQLite's own defaults: 2000 KiB of cache (negative: KiB), no map
    expect(readPragmas(db)).toEqual({ cache: -2000, mmap: 0, readonly: true });
    const larger = createDb(`sqlite:${join(dir, 'b.db')}`, {
      sqliteRead: { cacheKiB: 64 * 1024, mmapBytes: 256 * 1024 * 1024 },
    });
    try {
      expect(readPragmas(larger)).toEqual({ cache: -65536, mmap: 268435456, readonly: true });
    } finally {
      await larger.destroy();
    }
  });

  it('a transaction holds the write lock from its first statement (BEGIN IMMEDIATE), so a read-then-write transaction cannot be refused halfway', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-db-'));
    const file = join(dir, 'c.db');
    db = createDb(`sqlite:${file}`);
    await migrateLatest(db);
    // No busy timeout: refused at once rather than after waiting (better-sqlite3 waits 5 s by default).
    const other = new Database(file, { timeout: 0 });
    try {
      await db.transaction(async (trx) => {
        await trx('audit_events').count({ n: '*' });
        // Another connection cannot write while this transaction, which has only read so far, is open.
        expect(() =>
          other.prepare("insert into audit_events (at, event, details) values (1, 'x', '{}')").run(),
        ).toThrow(/locked|busy/i);
        await trx('audit_events').insert({ at: 2, event: 'y', details: '{}' });
      });
    } finally {
      other.close();
    }
    expect((await db('audit_events').select('event')).map((r) => r.event)).toEqual(['y']);
  });

  it('review item 9: a database file left world-readable by an earlier version is narrowed to 0600', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-db-'));
    const file = join(dir, 'old.db');
    writeFileSync(file, '', { mode: 0o644 });
    db = createDb(`sqlite:${file}`);
    await migrateLatest(db);
    for (const f of [file, `${file}-wal`]) expect(modeOf(f), f).toBe(0o600);
  });
});
