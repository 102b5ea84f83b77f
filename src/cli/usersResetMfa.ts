import { Command } from 'commander';
import { createAccountsRepo } from '../accounts/accountsRepo.js';
import { createAppsRepo } from '../accounts/authenticatorApp/appsRepo.js';
import { createRecoveryCodesRepo } from '../accounts/authenticatorApp/recoveryCodesRepo.js';
import type { Cli } from './createCli.js';
import { findAccount } from './findAccount.js';

/**
 * hawiya users reset-mfa, for a person who lost their phone or app: resets the failure counter and removes
 * the authenticator app and the recovery codes (SMS codes go to the registry's contacts, which the admin
 * cannot change here). Passkeys stay: the person removes them on the security page.
 */
export function usersResetMfaCommand(cli: Cli): Command {
  return new Command('reset-mfa')
    .description(
      'reset second-factor state: the failed-login counter and temporary lock, the authenticator app and recovery codes',
    )
    .argument('<who>', 'account id, national ID or username')
    .action((who: string) =>
      cli.run(async ({ db, audit, out, actor }) => {
        const account = await findAccount(db, who);
        let removedApp = false;
        await db.transaction(async (trx) => {
          await createAccountsRepo(trx).clearFailures(account.id, trx);
          removedApp = await createAppsRepo(trx).remove(account.id);
          await createRecoveryCodesRepo(trx).removeAll(account.id);
          await audit.record(
            {
              event: 'mfa_reset',
              actor,
              accountId: account.id,
              nationalId: account.nationalId,
              details: {
                cleared: ['failed_logins', 'locked_until', 'authenticator_app', 'recovery_codes'],
                failedLoginsWere: account.failedLogins,
                hadApp: removedApp,
              },
            },
            trx,
          );
        });
        out.line(
          `account ${account.username}: failed-login counter reset (was ${account.failedLogins}) and temporary lock cleared; ` +
            `${removedApp ? 'authenticator app' : 'no authenticator app'} and recovery codes removed. ` +
            'SMS codes go to the contacts on record in the registry; passkeys stay.',
        );
      }),
    );
}
