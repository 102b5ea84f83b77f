import { Command } from 'commander';
import { createClientsRepo } from '../oidc/clientsRepo.js';
import { refuseBuiltIn } from './builtInClients.js';
import { CliRefused } from './cliErrors.js';
import { generateClientSecret } from './clientOptions.js';
import type { Cli } from './createCli.js';

/** hawiya clients rotate-secret ID: a new secret, shown once; the old one stops working at once. */
export function clientsRotateSecretCommand(cli: Cli): Command {
  return new Command('rotate-secret')
    .description('replace a client secret (shown once; the old secret stops working at once)')
    .argument('<client-id>', 'client id')
    .option('--json', 'print JSON')
    .action((clientId: string, opts: { json?: boolean }) =>
      cli.run(async ({ db, clock, audit, out, actor }) => {
        refuseBuiltIn(clientId, 'rotate its secret');
        const clients = createClientsRepo({ db, clock });
        const client = await clients.find(clientId);
        if (!client) throw new CliRefused(`there is no client ${clientId}`);
        if (client.token_endpoint_auth_method !== 'client_secret_basic') {
          throw new CliRefused(
            `client ${clientId} authenticates with ${client.token_endpoint_auth_method}: it has no secret`,
          );
        }
        const secret = generateClientSecret();
        await clients.save({ ...client, client_secret: secret });
        await audit.record({ event: 'client_secret_rotated', actor, clientId });
        if (opts.json) out.json({ client_id: clientId, client_secret: secret });
        else out.line(`new client secret for ${clientId} (shown once, store it now): ${secret}`);
      }),
    );
}
