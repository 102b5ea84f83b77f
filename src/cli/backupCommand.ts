import { resolve } from 'node:path';
import { Command } from 'commander';
import { backupDatabase } from '../db/backup/index.js';
import type { Cli } from './createCli.js';

/** hawiya backup <dir>: the database and the key files, while the server runs. */
export function backupCommand(cli: Cli): Command {
  return new Command('backup')
    .description('back up the database and the signing-key files into a new directory (safe while serving)')
    .argument('<dir>', 'a new or empty directory')
    .option('--json', 'print the manifest as JSON')
    .action((dir: string, opts: { json?: boolean }) =>
      cli.run(
        async ({ config, db, clock, out }) => {
          const manifest = await backupDatabase({
            db,
            databaseUrl: config.databaseUrl,
            keysDir: config.keysDir,
            keysEncrypted: config.keysEncryptionKey !== undefined,
            dir: resolve(dir),
            now: new Date(clock.now()),
          });
          if (opts.json) {
            out.json(manifest);
            return;
          }
          out.line(`backup written to ${resolve(dir)} (migration ${manifest.migration})`);
          for (const k of manifest.keys.filter((key) => key.file === 'absent' && key.state !== 'retired')) {
            out.error(`warning: signing key ${k.kid} (${k.state}) has no private file in ${config.keysDir}`);
          }
          out.line(
            'not in it, keep them separately: KEYS_ENCRYPTION_KEY, COOKIE_KEYS, PAIRWISE_SALT, client secrets',
          );
        },
        { migrated: false },
      ),
    );
}
