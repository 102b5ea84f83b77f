import { Command } from 'commander';
import { createAccountsRepo } from '../accounts/accountsRepo.js';
import type { Cli } from './createCli.js';
import { endAccountSessions } from './endAccountSessions.js';
import { findAccount } from './findAccount.js';

/** hawiya users lock: disables the account and ends every session and token (checklist 21). */
export function usersLockCommand(cli: Cli): Command {
  return new Command('lock')
    .description('disable an account until unlocked, and end all its sessions and tokens')
    .argument('<who>', 'account id, national ID or username')
    .action((who: string) =>
      cli.run(async ({ db, audit, out, actor }) => {
        const account = await findAccount(db, who);
        const revoked = await endAccountSessions({
          db,
          audit,
          actor,
          account,
          event: 'account_locked',
          before: (trx) => createAccountsRepo(trx).setStatus(account.id, 'locked', trx),
        });
        out.line(`account ${account.username} locked; ${revoked} session/grant/token row(s) ended`);
      }),
    );
}
