import { Command } from 'commander';
import { createClientsRepo } from '../oidc/clientsRepo.js';
import { CliRefused } from './cliErrors.js';
import { addClientOptions, applyClientOptions, type ClientOptions, displayClient } from './clientOptions.js';
import type { Cli } from './createCli.js';
import { validateClient } from './validateClient.js';

/** hawiya clients update ID: changes the given fields; a list option replaces the whole list. */
export function clientsUpdateCommand(cli: Cli): Command {
  return addClientOptions(
    new Command('update')
      .description('change a relying party; a repeated option (e.g. --redirect-uri) replaces the whole list')
      .argument('<client-id>', 'client id'),
  ).action((clientId: string, options: ClientOptions) =>
    cli.run(async ({ db, clock, config, audit, out, actor }) => {
      const clients = createClientsRepo({ db, clock });
      const existing = await clients.find(clientId);
      if (!existing) throw new CliRefused(`there is no client ${clientId}`);
      const { client, secret } = applyClientOptions({ base: existing, options });
      await validateClient({ client, config, db, clock });
      await clients.save(client);
      const changed = Object.keys({ ...existing, ...client }).filter(
        (k) =>
          k !== 'client_secret' &&
          JSON.stringify((existing as Record<string, unknown>)[k]) !==
            JSON.stringify((client as Record<string, unknown>)[k]),
      );
      await audit.record({
        event: 'client_updated',
        actor,
        clientId,
        details: { changed, newSecret: secret !== undefined },
      });
      if (options.json) {
        out.json({ client: displayClient(client), changed, client_secret: secret });
        return;
      }
      out.line(`client ${clientId} updated: ${changed.join(', ') || 'nothing changed'}`);
      if (secret) out.line(`client secret (shown once, store it now): ${secret}`);
    }),
  );
}
