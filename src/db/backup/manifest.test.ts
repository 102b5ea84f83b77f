import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackupRefused } from './backupErrors.js';
import { FORMAT, readManifest } from './manifest.js';

describe('readManifest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hawiya-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (value: unknown) =>
    writeFileSync(join(dir, 'manifest.json'), typeof value === 'string' ? value : JSON.stringify(value));
  const good = {
    format: FORMAT,
    engine: 'sqlite',
    databaseFile: 'hawiya.db',
    databaseSha256: 'ab'.repeat(32),
    migration: '20261125000100_registry_persons',
    takenAt: '2026-12-01T00:00:00.000Z',
    keys: [],
    keysEncrypted: true,
    notIncluded: [],
  };

  it('accepts a complete manifest', () => {
    write(good);
    expect(readManifest(dir)).toEqual(good);
  });

  it('names each missing or wrong field, and a database file outside the directory', () => {
    write({ ...good, engine: 'mysql', databaseFile: '../etc/passwd', migration: undefined });
    expect(() => readManifest(dir)).toThrow(
      /damaged: engine is not sqlite or pg; databaseFile is missing; migration is missing/,
    );
    write({ ...good, engine: 'pg' });
    expect(() => readManifest(dir)).toThrow(/schema is missing/);
  });

  it('refuses what is not JSON, no manifest, and no directory, as BackupRefused', () => {
    write('{"format":');
    expect(() => readManifest(dir)).toThrow(BackupRefused);
    expect(() => readManifest(dir)).toThrow(/is not valid JSON/);
    write('null');
    expect(() => readManifest(dir)).toThrow(/damaged: format/);
    expect(() => readManifest(join(dir, 'nothing'))).toThrow(/does not exist/);
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(() => readManifest(empty)).toThrow(/manifest\.json is missing/);
  });
});
