import { Command } from 'commander';
import type { Cli } from './createCli.js';
import { endAccountSessions } from './endAccountSessions.js';
import { findAccount } from './findAccount.js';

/** hawiya users logout: ends every session, grant and token of the account. */
export function usersLogoutCommand(cli: Cli): Command {
  return new Command('logout')
    .description('end every session, grant and token of an account')
    .argument('<who>', 'account id, national ID or username')
    .action((who: string) =>
      cli.run(async ({ db, audit, out, actor }) => {
        const account = await findAccount(db, who);
        const revoked = await endAccountSessions({ db, audit, actor, account, event: 'sessions_revoked' });
        out.line(`account ${account.username}: ${revoked} session/grant/token row(s) ended`);
      }),
    );
}
