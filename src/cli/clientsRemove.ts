import { Command } from 'commander';
import { createClientsRepo } from '../oidc/clientsRepo.js';
import { refuseBuiltIn } from './builtInClients.js';
import { CliRefused } from './cliErrors.js';
import type { Cli } from './createCli.js';

/** hawiya clients remove ID */
export function clientsRemoveCommand(cli: Cli): Command {
  return new Command('remove')
    .description('delete a relying party (its tokens stop working: the provider no longer knows the client)')
    .argument('<client-id>', 'client id')
    .action((clientId: string) =>
      cli.run(async ({ db, clock, audit, out, actor }) => {
        refuseBuiltIn(clientId, 'remove it');
        const removed = await createClientsRepo({ db, clock }).remove(clientId);
        if (!removed) throw new CliRefused(`there is no client ${clientId}`);
        await audit.record({ event: 'client_removed', actor, clientId });
        out.line(`client ${clientId} removed`);
      }),
    );
}
