import { Command } from 'commander';
import { createAccountsRepo } from '../accounts/accountsRepo.js';
import type { Cli } from './createCli.js';
import { describeEnded, endAccountSessions } from './endAccountSessions.js';
import { findAccount } from './findAccount.js';

/**
 * hawiya users lock: disables the account and ends every session and token; the relying parties holding
 * its sessions are told by back-channel logout (checklist 21).
 */
export function usersLockCommand(cli: Cli): Command {
  return new Command('lock')
    .description('disable an account until unlocked, and end all its sessions and tokens')
    .argument('<who>', 'account id, national ID or username')
    .action((who: string) =>
      cli.run(async (ctx) => {
        const account = await findAccount(ctx.db, who);
        const ended = await endAccountSessions({
          ctx,
          account,
          event: 'account_locked',
          before: (trx) => createAccountsRepo(trx).setStatus(account.id, 'locked', trx),
        });
        ctx.out.line(`account ${account.username} locked; ${describeEnded(ended)}`);
      }),
    );
}
