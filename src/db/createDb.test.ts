import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('review item 9: a database file left world-readable by an earlier version is narrowed to 0600', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-db-'));
    const file = join(dir, 'old.db');
    writeFileSync(file, '', { mode: 0o644 });
    db = createDb(`sqlite:${file}`);
    await migrateLatest(db);
    for (const f of [file, `${file}-wal`]) expect(modeOf(f), f).toBe(0o600);
  });
});
