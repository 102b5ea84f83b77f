import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { engineOf } from '../createDb.js';
import { BackupRefused } from './backupErrors.js';
import { sha256OfFile } from './fileDigest.js';
import { copyKeyFilesOut } from './keyFilesCopy.js';
import { type BackupManifest, backupReadme, FORMAT, MANIFEST_FILE, NOT_INCLUDED } from './manifest.js';
import { backupPg, pgSchemaOf } from './pgBackup.js';
import { backupSqlite } from './sqliteBackup.js';

async function pgContents(db: Knex): Promise<{ migration: string; keys: { kid: string; state: string }[] }> {
  const last = await db('knex_migrations').orderBy('id', 'desc').first('name');
  const keys = await db('signing_keys').orderBy('created_at').orderBy('kid').select('kid', 'state');
  return { migration: String(last?.name ?? ''), keys };
}

/**
 * Writes a backup into `dir` (new or empty): the database, the private key files as they are, a README and
 * the manifest, last, so a directory with a manifest holds a finished backup. Safe while the server runs.
 */
export async function backupDatabase(opts: {
  db: Knex;
  databaseUrl: string;
  keysDir: string;
  keysEncrypted: boolean;
  dir: string;
  now: Date;
}): Promise<BackupManifest> {
  if (existsSync(opts.dir) && readdirSync(opts.dir).length > 0) {
    throw new BackupRefused(`${opts.dir} is not empty: give a new directory for each backup`);
  }
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const engine = engineOf(opts.databaseUrl);
  const databaseFile = engine === 'sqlite' ? 'hawiya.db' : 'hawiya.pgdump';
  const dest = join(opts.dir, databaseFile);
  let schema: string | undefined;
  let contents: { migration: string; keys: { kid: string; state: string }[] };
  if (engine === 'sqlite') {
    contents = await backupSqlite({ file: opts.databaseUrl.slice('sqlite:'.length), dest });
  } else {
    schema = await pgSchemaOf(opts.db);
    contents = await pgContents(opts.db);
    await backupPg({ databaseUrl: opts.databaseUrl, schema, dest });
  }
  if (!contents.migration)
    throw new BackupRefused('the database has no migrations applied: nothing to back up');
  const absent = copyKeyFilesOut({
    keysDir: opts.keysDir,
    kids: contents.keys.map((k) => k.kid),
    dest: join(opts.dir, 'keys'),
  });
  const manifest: BackupManifest = {
    format: FORMAT,
    engine,
    databaseFile,
    databaseSha256: await sha256OfFile(dest),
    ...(schema ? { schema } : {}),
    migration: contents.migration,
    takenAt: opts.now.toISOString(),
    keys: contents.keys.map((k) => ({ ...k, file: absent.has(k.kid) ? 'absent' : 'copied' })),
    keysEncrypted: opts.keysEncrypted,
    notIncluded: NOT_INCLUDED,
  };
  writeFileSync(join(opts.dir, 'README.txt'), backupReadme(manifest), { mode: 0o600 });
  writeFileSync(join(opts.dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}
