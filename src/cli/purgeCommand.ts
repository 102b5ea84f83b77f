import { Command } from 'commander';
import { createFlowsRepo } from '../flows/flowsRepo.js';
import { purgeExpiredOidc } from '../oidc/knexAdapter.js';
import { createOtpRepo } from '../otp/otpRepo.js';
import { createThrottleRepo } from '../throttle/throttleRepo.js';
import type { Cli } from './createCli.js';

/** hawiya purge: what the server's ten-minute sweep does, on demand. */
export function purgeCommand(cli: Cli): Command {
  return new Command('purge')
    .description('delete expired sessions, tokens, codes, registration/reset flows and throttle windows')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      cli.run(async ({ db, clock, out }) => {
        const now = clock.now();
        const purged = {
          oidc: await purgeExpiredOidc(db, now),
          codes: await createOtpRepo(db).purgeExpired(now),
          flows: await createFlowsRepo({ db, clock }).purgeExpired(),
          throttles: await createThrottleRepo(db).purgeExpired(now),
        };
        if (opts.json) out.json(purged);
        else
          out.line(
            `purged: ${purged.oidc} sessions/tokens/interactions, ${purged.codes} codes, ` +
              `${purged.flows} flows, ${purged.throttles} throttle windows`,
          );
      }),
    );
}
