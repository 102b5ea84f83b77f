import { Command } from 'commander';
import { createAccountsRepo } from '../accounts/accountsRepo.js';
import { revokeAccountArtifacts } from '../oidc/knexAdapter.js';
import type { Cli } from './createCli.js';
import { findAccount } from './findAccount.js';

/** hawiya users lock: disables the account and ends every session and token (checklist 21). */
export function usersLockCommand(cli: Cli): Command {
  return new Command('lock')
    .description('disable an account until unlocked, and end all its sessions and tokens')
    .argument('<who>', 'account id, national ID or username')
    .action((who: string) =>
      cli.run(async ({ db, audit, out, actor }) => {
        const account = await findAccount(db, who);
        const revoked = await db.transaction(async (trx) => {
          await createAccountsRepo(trx).setStatus(account.id, 'locked', trx);
          const n = await revokeAccountArtifacts(trx, account.id);
          await audit.record(
            {
              event: 'account_locked',
              actor,
              accountId: account.id,
              nationalId: account.nationalId,
              details: { revoked: n },
            },
            trx,
          );
          return n;
        });
        out.line(`account ${account.username} locked; ${revoked} session/grant/token row(s) ended`);
      }),
    );
}
