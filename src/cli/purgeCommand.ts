import { Command } from 'commander';
import type { Cli } from './createCli.js';

/** hawiya purge: what the server's ten-minute sweep does, on demand. */
export function purgeCommand(cli: Cli): Command {
  return new Command('purge')
    .description('delete expired sessions, tokens, codes, registration/reset flows and throttle windows')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      cli.run(async ({ core, out }) => {
        const purged = await core.purgeExpired();
        if (opts.json) out.json(purged);
        else
          out.line(
            `purged: ${purged.oidc} sessions/tokens/interactions, ${purged.codes} codes, ` +
              `${purged.flows} flows, ${purged.throttles} throttle windows`,
          );
      }),
    );
}
