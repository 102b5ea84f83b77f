import { Command } from 'commander';
import { PREVIOUS_KEY_GRACE_MS } from '../keys/index.js';
import type { Cli } from './createCli.js';

/** hawiya keys prune: retires the previous keys past the longest token lifetime. */
export function keysPruneCommand(cli: Cli): Command {
  return new Command('prune')
    .description(
      `retire previous keys whose retire-after has passed (${PREVIOUS_KEY_GRACE_MS / 60000} minutes after rotation)`,
    )
    .option('--delete-files', 'also delete their private key files')
    .option('--json', 'print JSON')
    .action((opts: { deleteFiles?: boolean; json?: boolean }) =>
      cli.run(async ({ keyStore, out, actor }) => {
        const pruned = await keyStore.prune({ deleteFiles: opts.deleteFiles === true, actor });
        if (opts.json) out.json(pruned);
        else if (pruned.length === 0) out.line('no previous key is due');
        else out.line(`retired: ${pruned.map((k) => k.kid).join(', ')}`);
      }),
    );
}
