import { resolve } from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { restoreDatabase } from '../db/backup/index.js';
import { type Cli, describeError } from './createCli.js';

/**
 * hawiya restore <dir>: replaces the database and adds the key files. It opens no core (the database it
 * would hold open is the one being replaced), so it maps its errors itself, as cli.run does.
 */
export function restoreCommand(cli: Cli): Command {
  return new Command('restore')
    .description('restore a backup directory into DATABASE_URL and KEYS_DIR (servers stopped)')
    .argument('<dir>', 'a directory written by "hawiya backup"')
    .option('--force', 'replace a database that is not empty, and key files of the same name')
    .action(async (dir: string, opts: { force?: boolean }) => {
      try {
        const config = loadConfig(cli.env);
        const result = await restoreDatabase({
          dir: resolve(dir),
          databaseUrl: config.databaseUrl,
          keysDir: config.keysDir,
          force: opts.force === true,
        });
        cli.out.line(
          `restored the backup of ${result.manifest.takenAt} (migration ${result.manifest.migration}) and ${result.keyFiles} key file(s)`,
        );
        if (result.pending.length > 0) {
          cli.out.line(
            `${result.pending.length} newer migration(s) will be applied by "hawiya migrate" or at start`,
          );
        }
      } catch (err) {
        const { message, code } = describeError(err);
        cli.out.error(message);
        cli.exitCode = code;
      }
    });
}
