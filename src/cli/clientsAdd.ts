import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { createClientsRepo } from '../oidc/clientsRepo.js';
import { CliRefused } from './cliErrors.js';
import { addClientOptions, applyClientOptions, type ClientOptions, displayClient } from './clientOptions.js';
import type { Cli } from './createCli.js';
import { validateClient } from './validateClient.js';

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/** hawiya clients add [CLIENT_ID]: registers a relying party; a generated secret is printed once. */
export function clientsAddCommand(cli: Cli): Command {
  return addClientOptions(
    new Command('add')
      .description('register a relying party (a generated client secret is shown once)')
      .argument('[client-id]', 'client id (3-64 of A-Z a-z 0-9 . _ -); generated when omitted'),
  ).action((clientIdArg: string | undefined, options: ClientOptions) =>
    cli.run(async ({ db, clock, config, audit, out, actor }) => {
      const clientId = clientIdArg ?? `rp-${randomBytes(9).toString('base64url')}`;
      if (!CLIENT_ID.test(clientId))
        throw new CliRefused(`client id ${clientId}: use 3-64 of A-Z a-z 0-9 . _ -`);
      const clients = createClientsRepo({ db, clock });
      if (await clients.find(clientId))
        throw new CliRefused(`client ${clientId} already exists (use clients update)`);
      const { client, secret } = applyClientOptions({ base: { client_id: clientId }, options });
      await validateClient({ client, config, db, clock });
      await clients.save(client);
      await audit.record({
        event: 'client_added',
        actor,
        clientId,
        details: {
          type: client.organization_type,
          authMethod: client.token_endpoint_auth_method,
          scope: client.scope,
          subjectType: client.subject_type,
          firstParty: client.first_party,
        },
      });
      if (options.json) {
        out.json({ client: displayClient(client), client_secret: secret });
        return;
      }
      out.line(
        `client ${clientId} added (${client.organization_type}, ${client.subject_type} subject identifiers)`,
      );
      if (secret) {
        out.line(`client secret (shown once, store it now): ${secret}`);
      }
    }),
  );
}
