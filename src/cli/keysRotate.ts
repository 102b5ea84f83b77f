import { Command, Option } from 'commander';
import { SIGNING_ALGS, type SigningAlg } from '../keys/index.js';
import { UsageError } from './cliErrors.js';
import type { Cli } from './createCli.js';

/** hawiya keys rotate: next → current → previous, or an emergency replacement with --now. */
export function keysRotateCommand(cli: Cli): Command {
  return new Command('rotate')
    .description(
      'rotate the signing keys of one algorithm: the published next key starts signing, the current key ' +
        'stays published as previous until its tokens expire, and a new next key is published',
    )
    .addOption(new Option('--alg <alg>', 'algorithm').choices([...SIGNING_ALGS]).default('ES256'))
    .option(
      '--now',
      'emergency (compromised key): a fresh key signs at once; the old one leaves the JWKS at once',
    )
    .option('--revoke', 'with --now: delete every session, grant and token issued while the old key signed')
    .option('--json', 'print JSON')
    .action((opts: { alg: SigningAlg; now?: boolean; revoke?: boolean; json?: boolean }) =>
      cli.run(async ({ keyStore, out, actor, config }) => {
        if (opts.revoke && !opts.now) throw new UsageError('--revoke needs --now');
        const result = await keyStore.rotate({
          alg: opts.alg,
          immediate: opts.now === true,
          revoke: opts.revoke === true,
          actor,
        });
        if (opts.json) {
          out.json(result);
          return;
        }
        out.line(`${result.alg} keys rotated${result.immediate ? ' (emergency)' : ''}`);
        out.line(`  current (signs now):     ${result.current}`);
        out.line(`  next (published):        ${result.next}`);
        if (result.previous.length > 0) out.line(`  previous (verify only):  ${result.previous.join(', ')}`);
        if (result.retired.length > 0) out.line(`  retired (unpublished):   ${result.retired.join(', ')}`);
        if (opts.revoke) {
          out.line(`  revoked: ${result.revoked} session/grant/token rows deleted`);
          out.line(
            `  back-channel logout: ${result.logoutsSent} relying parties told` +
              (result.logoutsFailed > 0 ? `, ${result.logoutsFailed} could not be (see audit tail)` : ''),
          );
        }
        out.line(
          config.databaseUrl.startsWith('sqlite:')
            ? `Running servers pick this up within ${config.keysPollSeconds} s (KEYS_POLL_SECONDS); no restart is needed.`
            : 'Running servers were notified and reload their keys at once; no restart is needed.',
        );
      }),
    );
}
