import { Command } from 'commander';
import { createAccountsRepo } from '../accounts/accountsRepo.js';
import { throttleKey } from '../throttle/createThrottle.js';
import { createThrottleRepo } from '../throttle/throttleRepo.js';
import type { Cli } from './createCli.js';
import { findAccount } from './findAccount.js';

/** hawiya users unlock: active again; failure counters (logins, wrong codes) and temporary lock cleared. */
export function usersUnlockCommand(cli: Cli): Command {
  return new Command('unlock')
    .description('re-enable an account and clear its failed-login counter and temporary lock')
    .argument('<who>', 'account id, national ID or username')
    .action((who: string) =>
      cli.run(async ({ db, audit, out, actor }) => {
        const account = await findAccount(db, who);
        await db.transaction(async (trx) => {
          const repo = createAccountsRepo(trx);
          await repo.setStatus(account.id, 'active', trx);
          await repo.clearFailures(account.id, trx);
          // Also the count of wrong activation/reset codes and of failed logins by identifier.
          await createThrottleRepo(trx).reset(throttleKey('codes', 'nid', account.nationalId));
          await audit.record(
            {
              event: 'account_unlocked',
              actor,
              accountId: account.id,
              nationalId: account.nationalId,
              details: { was: account.status },
            },
            trx,
          );
        });
        out.line(
          `account ${account.username} unlocked (was ${account.status}; failed logins were ${account.failedLogins})`,
        );
      }),
    );
}
