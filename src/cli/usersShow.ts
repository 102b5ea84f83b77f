import { Command } from 'commander';
import { maskNationalId } from '../shared/logger.js';
import type { Cli } from './createCli.js';
import { findAccount } from './findAccount.js';
import { iso } from './output.js';

/** hawiya users show ID|USERNAME */
export function usersShowCommand(cli: Cli): Command {
  return new Command('show')
    .description('show an account (by account id, national ID or username)')
    .argument('<who>', 'account id, national ID or username')
    .option('--json', 'print JSON')
    .action((who: string, opts: { json?: boolean }) =>
      cli.run(async ({ db, clock, out }) => {
        const a = await findAccount(db, who);
        const shown = {
          id: a.id,
          username: a.username,
          nationalId: maskNationalId(a.nationalId),
          email: a.email,
          status: a.status,
          failedLogins: a.failedLogins,
          lockedUntil: a.lockedUntil !== null && a.lockedUntil > clock.now() ? iso(a.lockedUntil) : null,
          createdAt: iso(a.createdAt),
          activatedAt: iso(a.activatedAt),
          passwordChangedAt: iso(a.passwordChangedAt),
        };
        if (opts.json) out.json(shown);
        else
          out.table(
            Object.entries(shown).map(([field, value]) => ({ field, value })),
            ['field', 'value'],
          );
      }),
    );
}
