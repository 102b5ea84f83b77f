import { Command } from 'commander';
import type { Cli } from './createCli.js';

/** hawiya keys retire KID: takes a next or previous key out of the JWKS now. */
export function keysRetireCommand(cli: Cli): Command {
  return new Command('retire')
    .description('remove a next or previous key from the JWKS now (never the signing key)')
    .argument('<kid>', 'key id (see keys list)')
    .option('--delete-file', 'also delete its private key file')
    .option('--json', 'print JSON')
    .action((kid: string, opts: { deleteFile?: boolean; json?: boolean }) =>
      cli.run(async ({ keyStore, out, actor }) => {
        const result = await keyStore.retire(kid, { deleteFile: opts.deleteFile === true, actor });
        if (opts.json) out.json(result);
        else if (result.alreadyRetired)
          out.line(`${kid} was already retired${result.fileDeleted ? '; file deleted' : ''}`);
        else out.line(`${kid} retired (was ${result.from})${result.fileDeleted ? '; file deleted' : ''}`);
      }),
    );
}
