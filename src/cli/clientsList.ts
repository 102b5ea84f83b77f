import { Command } from 'commander';
import { createClientsRepo } from '../oidc/clientsRepo.js';
import { displayClient } from './clientOptions.js';
import type { Cli } from './createCli.js';

/** hawiya clients list */
export function clientsListCommand(cli: Cli): Command {
  return new Command('list')
    .description('list the relying parties')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      cli.run(async ({ db, clock, out }) => {
        const clients = await createClientsRepo({ db, clock }).list();
        if (opts.json) {
          out.json(clients.map(displayClient));
          return;
        }
        out.table(
          clients.map((c) => ({
            client_id: c.client_id,
            name: c.name_en,
            type: c.organization_type,
            auth: c.token_endpoint_auth_method,
            subject: c.subject_type,
            first_party: c.first_party ? 'yes' : 'no',
            min_acr: c.min_acr?.replace('urn:hawiya:acr:', ''),
            scope: c.scope,
          })),
        );
      }),
    );
}
