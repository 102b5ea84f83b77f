import { Command } from 'commander';
import { createRegistryRepo, normalizeDigits } from '../registry/index.js';
import { maskNationalId } from '../shared/logger.js';
import { CliRefused } from './cliErrors.js';
import type { Cli } from './createCli.js';
import { iso } from './output.js';

/** hawiya registry show ID: the whole record for the admin; messages only ever carry the masked ID. */
export function registryShowCommand(cli: Cli): Command {
  return new Command('show')
    .description('show one civil-registry record')
    .argument('<national-id>', '10-digit national ID')
    .option('--json', 'print JSON')
    .action((id: string, opts: { json?: boolean }) =>
      cli.run(async ({ db, clock, out }) => {
        const nationalId = normalizeDigits(id.trim());
        const person = await createRegistryRepo(db, clock).find(nationalId);
        if (!person) throw new CliRefused(`no registry record for ${maskNationalId(nationalId)}`);
        if (opts.json) {
          out.json(person);
          return;
        }
        out.table(
          Object.entries({ ...person, updatedAt: iso(person.updatedAt) }).map(([field, value]) => ({
            field,
            value,
          })),
          ['field', 'value'],
        );
      }),
    );
}
