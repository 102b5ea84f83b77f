import { Command } from 'commander';
import { createClientsRepo } from '../oidc/clientsRepo.js';
import { CliRefused } from './cliErrors.js';
import { displayClient } from './clientOptions.js';
import type { Cli } from './createCli.js';

/** hawiya clients show ID: every field except the secret. */
export function clientsShowCommand(cli: Cli): Command {
  return new Command('show')
    .description('show a relying party (never its secret)')
    .argument('<client-id>', 'client id')
    .option('--json', 'print JSON')
    .action((clientId: string, opts: { json?: boolean }) =>
      cli.run(async ({ db, clock, out }) => {
        const client = await createClientsRepo({ db, clock }).find(clientId);
        if (!client) throw new CliRefused(`there is no client ${clientId}`);
        const shown = displayClient(client);
        if (opts.json) {
          out.json(shown);
          return;
        }
        out.table(
          Object.entries(shown).map(([field, value]) => ({ field, value })),
          ['field', 'value'],
        );
      }),
    );
}
