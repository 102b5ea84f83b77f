import { Command } from 'commander';
import type { Cli } from './createCli.js';
import { describeEnded, endAccountSessions } from './endAccountSessions.js';
import { findAccount } from './findAccount.js';

/** hawiya users logout: ends every session, grant and token of the account, telling its relying parties. */
export function usersLogoutCommand(cli: Cli): Command {
  return new Command('logout')
    .description('end every session, grant and token of an account')
    .argument('<who>', 'account id, national ID or username')
    .action((who: string) =>
      cli.run(async (ctx) => {
        const account = await findAccount(ctx.db, who);
        const ended = await endAccountSessions({ ctx, account, event: 'sessions_revoked' });
        ctx.out.line(`account ${account.username}: ${describeEnded(ended)}`);
      }),
    );
}
