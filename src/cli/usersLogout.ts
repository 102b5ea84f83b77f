import { Command } from 'commander';
import { revokeAccountArtifacts } from '../oidc/knexAdapter.js';
import type { Cli } from './createCli.js';
import { findAccount } from './findAccount.js';

/** hawiya users logout: ends every session, grant and token of the account. */
export function usersLogoutCommand(cli: Cli): Command {
  return new Command('logout')
    .description('end every session, grant and token of an account')
    .argument('<who>', 'account id, national ID or username')
    .action((who: string) =>
      cli.run(async ({ db, audit, out, actor }) => {
        const account = await findAccount(db, who);
        const revoked = await db.transaction(async (trx) => {
          const n = await revokeAccountArtifacts(trx, account.id);
          await audit.record(
            {
              event: 'sessions_revoked',
              actor,
              accountId: account.id,
              nationalId: account.nationalId,
              details: { revoked: n },
            },
            trx,
          );
          return n;
        });
        out.line(`account ${account.username}: ${revoked} session/grant/token row(s) ended`);
      }),
    );
}
