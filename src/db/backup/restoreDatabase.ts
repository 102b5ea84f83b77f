import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, engineOf } from '../createDb.js';
import { knownMigrations } from '../migrate.js';
import { BackupRefused } from './backupErrors.js';
import { sha256OfFile } from './fileDigest.js';
import { conflictingKeyFiles, copyKeyFilesIn } from './keyFilesCopy.js';
import { type BackupManifest, readManifest } from './manifest.js';
import { assertSameSchema, pgSchemaOf, pgTableCount, restorePg } from './pgBackup.js';
import { restoreSqlite, sqliteTableCount } from './sqliteBackup.js';

export interface RestoreResult {
  manifest: BackupManifest;
  keyFiles: number;
  /** migrations this code has that the backup had not: applied by `hawiya migrate` or the next start */
  pending: string[];
}

const ENGINE_NAME = { sqlite: 'SQLite', pg: 'PostgreSQL' } as const;

/**
 * Restores a backup directory into DATABASE_URL and KEYS_DIR. Everything is checked before anything is
 * touched (manifest, checksum, migration version, an empty target or `force`, key files); the database is
 * then replaced whole or not at all. Run it with the servers stopped.
 */
export async function restoreDatabase(opts: {
  dir: string;
  databaseUrl: string;
  keysDir: string;
  force: boolean;
}): Promise<RestoreResult> {
  const manifest = readManifest(opts.dir);
  const engine = engineOf(opts.databaseUrl);
  if (manifest.engine !== engine) {
    throw new BackupRefused(
      `the backup is of a ${ENGINE_NAME[manifest.engine]} database but DATABASE_URL is ${ENGINE_NAME[engine]}: restore it into the same engine`,
    );
  }
  const known = await knownMigrations();
  if (!known.includes(manifest.migration)) {
    throw new BackupRefused(
      `the backup was taken at migration ${manifest.migration}, which this version of Hawiya does not know (its latest is ${known.at(-1)}): restore it with the version that took it, or a newer one`,
    );
  }
  const source = join(opts.dir, manifest.databaseFile);
  if (!existsSync(source)) throw new BackupRefused(`${source} is missing: the backup is incomplete`);
  if ((await sha256OfFile(source)) !== manifest.databaseSha256) {
    throw new BackupRefused(`${source} does not match the manifest's checksum: the backup is damaged`);
  }
  const conflicts = conflictingKeyFiles({ from: join(opts.dir, 'keys'), keysDir: opts.keysDir });
  if (conflicts.length > 0 && !opts.force) {
    throw new BackupRefused(
      `${opts.keysDir} already holds other key files under the backup's names (${conflicts.join(', ')}): add --force to replace them`,
    );
  }
  const refuseNonEmpty = (tables: number, where: string) => {
    if (tables > 0 && !opts.force) {
      throw new BackupRefused(
        `${where} is not empty (${tables} tables): add --force to replace it by the backup`,
      );
    }
  };

  if (engine === 'sqlite') {
    const file = opts.databaseUrl.slice('sqlite:'.length);
    refuseNonEmpty(sqliteTableCount(file), `the database ${file}`);
    const keyFiles = copyKeyFilesIn({ from: join(opts.dir, 'keys'), keysDir: opts.keysDir });
    restoreSqlite({ file, source });
    return { manifest, keyFiles, pending: known.slice(known.indexOf(manifest.migration) + 1) };
  }
  const db = createDb(opts.databaseUrl, { poolMax: 1 });
  try {
    const schema = await pgSchemaOf(db);
    assertSameSchema(manifest.schema ?? 'public', schema);
    refuseNonEmpty(await pgTableCount(db, schema), `schema "${schema}"`);
  } finally {
    await db.destroy();
  }
  const keyFiles = copyKeyFilesIn({ from: join(opts.dir, 'keys'), keysDir: opts.keysDir });
  await restorePg({ databaseUrl: opts.databaseUrl, schema: manifest.schema ?? 'public', source });
  return { manifest, keyFiles, pending: known.slice(known.indexOf(manifest.migration) + 1) };
}
