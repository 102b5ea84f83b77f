import { Command } from 'commander';
import { migrateLatest, migrationStatus } from '../db/migrate.js';
import type { Cli } from './createCli.js';

/** hawiya migrate: applies pending migrations (the server also does at start). */
export function migrateCommand(cli: Cli): Command {
  return new Command('migrate')
    .description('apply every pending database migration')
    .option('--status', 'only show which migrations are applied and pending')
    .option('--json', 'print JSON')
    .action((opts: { status?: boolean; json?: boolean }) =>
      cli.run(
        async ({ db, out }) => {
          if (opts.status) {
            const status = await migrationStatus(db);
            if (opts.json) out.json(status);
            else out.line(`applied: ${status.done.length}, pending: ${status.pending.join(', ') || 'none'}`);
            return;
          }
          const applied = await migrateLatest(db);
          if (opts.json) out.json({ applied });
          else out.line(applied.length === 0 ? 'already up to date' : `applied: ${applied.join(', ')}`);
        },
        { migrated: false },
      ),
    );
}
