import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
} from 'node:fs';
import { join } from 'node:path';
import { BackupRefused } from './backupErrors.js';

const KEY_FILE = /^[A-Za-z0-9_-]{1,64}\.json$/;

/** Copies each key's private file as it is (still sealed with KEYS_ENCRYPTION_KEY); which ones had none. */
export function copyKeyFilesOut(opts: { keysDir: string; kids: string[]; dest: string }): Set<string> {
  mkdirSync(opts.dest, { recursive: true, mode: 0o700 });
  const absent = new Set<string>();
  for (const kid of opts.kids) {
    const from = join(opts.keysDir, `${kid}.json`);
    if (!KEY_FILE.test(`${kid}.json`) || !existsSync(from)) {
      absent.add(kid);
      continue;
    }
    copyFileSync(from, join(opts.dest, `${kid}.json`));
    chmodSync(join(opts.dest, `${kid}.json`), 0o600);
  }
  return absent;
}

/** The backup's key files that KEYS_DIR already holds with other contents (a different key under that id). */
export function conflictingKeyFiles(opts: { from: string; keysDir: string }): string[] {
  if (!existsSync(opts.from)) return [];
  return readdirSync(opts.from)
    .filter((f) => KEY_FILE.test(f) && existsSync(join(opts.keysDir, f)))
    .filter((f) => !readFileSync(join(opts.from, f)).equals(readFileSync(join(opts.keysDir, f))));
}

/** Puts the backup's key files into KEYS_DIR, each written beside and renamed (no half-written key). */
export function copyKeyFilesIn(opts: { from: string; keysDir: string }): number {
  if (!existsSync(opts.from)) throw new BackupRefused(`${opts.from} is missing: the backup has no key files`);
  mkdirSync(opts.keysDir, { recursive: true, mode: 0o700 });
  let copied = 0;
  for (const f of readdirSync(opts.from).filter((name) => KEY_FILE.test(name))) {
    const tmp = join(opts.keysDir, `${f}.${process.pid}.tmp`);
    copyFileSync(join(opts.from, f), tmp);
    chmodSync(tmp, 0o600);
    renameSync(tmp, join(opts.keysDir, f));
    copied++;
  }
  return copied;
}
