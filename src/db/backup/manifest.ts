import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DbEngine } from '../createDb.js';
import { BackupRefused } from './backupErrors.js';

export const MANIFEST_FILE = 'manifest.json';
export const FORMAT = 'hawiya-backup/1';

/** What a backup directory holds; written last, so a directory without it is an unfinished backup. */
export interface BackupManifest {
  format: typeof FORMAT;
  engine: DbEngine;
  /** the database's file in the directory: hawiya.db (SQLite) or hawiya.pgdump (pg_dump custom format) */
  databaseFile: string;
  /** sha256 of that file, hex: a restore refuses a file that changed */
  databaseSha256: string;
  /** PostgreSQL: the schema that was dumped (a restore recreates it under the same name) */
  schema?: string;
  /** the last migration applied when the backup was taken */
  migration: string;
  /** ISO time the backup was taken */
  takenAt: string;
  /** the signing keys in the database, and whether the copied private files are encrypted */
  keys: { kid: string; state: string; file: 'copied' | 'absent' }[];
  keysEncrypted: boolean;
  /** kept elsewhere by the operator: without them this backup does not serve */
  notIncluded: string[];
}

export const NOT_INCLUDED = [
  'KEYS_ENCRYPTION_KEY (opens the private key files in keys/)',
  'COOKIE_KEYS (finds the stored sessions and tokens: they are kept only as keyed hashes)',
  'PAIRWISE_SALT (the subject identifiers relying parties know people by)',
  'the services’ client secrets and the rest of the environment',
];

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Reads and checks a backup directory's manifest; names what is wrong with it. */
export function readManifest(dir: string): BackupManifest {
  if (!existsSync(dir)) throw new BackupRefused(`backup directory ${dir} does not exist`);
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new BackupRefused(
      `${path} is missing: ${dir} is not a Hawiya backup, or the backup did not finish`,
    );
  }
  let m: Partial<BackupManifest>;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Partial<BackupManifest>;
  } catch (err) {
    throw new BackupRefused(`${path} is not valid JSON (${(err as Error).message}): the backup is damaged`);
  }
  const problems: string[] = [];
  if (m?.format !== FORMAT) problems.push(`format is not "${FORMAT}"`);
  if (m?.engine !== 'sqlite' && m?.engine !== 'pg') problems.push('engine is not sqlite or pg');
  if (!isString(m?.databaseFile) || /[/\\]/.test(m.databaseFile)) problems.push('databaseFile is missing');
  if (!isString(m?.databaseSha256)) problems.push('databaseSha256 is missing');
  if (!isString(m?.migration)) problems.push('migration is missing');
  if (!Array.isArray(m?.keys)) problems.push('keys is missing');
  if (m?.engine === 'pg' && !isString(m.schema)) problems.push('schema is missing');
  if (problems.length > 0) throw new BackupRefused(`${path} is damaged: ${problems.join('; ')}`);
  return m as BackupManifest;
}

/** The README written beside the files, for whoever finds the directory. */
export function backupReadme(m: BackupManifest): string {
  return [
    `Hawiya backup taken ${m.takenAt} (${m.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, migration ${m.migration}).`,
    '',
    `${m.databaseFile}   the database${m.engine === 'pg' ? ' (pg_dump custom format)' : ' (SQLite online backup)'}`,
    `keys/        the private signing keys${m.keysEncrypted ? ', encrypted with KEYS_ENCRYPTION_KEY' : ' (NOT encrypted: keep this directory secret)'}`,
    `${MANIFEST_FILE} what is here, checked by "hawiya restore"`,
    '',
    'Not in this directory, and needed to serve from it: keep them separately (not beside this backup):',
    ...m.notIncluded.map((s) => `  - ${s}`),
    '',
    'Restore (server stopped, same configuration): hawiya restore <this directory> [--force]',
    '',
  ].join('\n');
}
