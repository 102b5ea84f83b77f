import { Command } from 'commander';
import { createAccountsRepo } from '../accounts/accountsRepo.js';
import type { Cli } from './createCli.js';
import { findAccount } from './findAccount.js';

/**
 * hawiya users reset-mfa. Second factors today are SMS/e-mail codes sent to the registry's contacts, which
 * the admin cannot change here; what can block a person is the failure counter, so that is what it resets.
 * TOTP and passkeys will add their removal here.
 */
export function usersResetMfaCommand(cli: Cli): Command {
  return new Command('reset-mfa')
    .description('reset second-factor state (for now: the failed-login counter and temporary lock)')
    .argument('<who>', 'account id, national ID or username')
    .action((who: string) =>
      cli.run(async ({ db, audit, out, actor }) => {
        const account = await findAccount(db, who);
        await db.transaction(async (trx) => {
          await createAccountsRepo(trx).clearFailures(account.id, trx);
          await audit.record(
            {
              event: 'mfa_reset',
              actor,
              accountId: account.id,
              nationalId: account.nationalId,
              details: { cleared: ['failed_logins', 'locked_until'], failedLoginsWere: account.failedLogins },
            },
            trx,
          );
        });
        out.line(
          `account ${account.username}: failed-login counter reset (was ${account.failedLogins}) and temporary lock cleared. ` +
            'No enrolled authenticator was removed: codes go to the contacts on record in the registry.',
        );
      }),
    );
}
