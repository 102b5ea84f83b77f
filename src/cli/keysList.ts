import { Command } from 'commander';
import type { Cli } from './createCli.js';
import { iso } from './output.js';

/** hawiya keys list: every signing key, and whether its private file can be read. */
export function keysListCommand(cli: Cli): Command {
  return new Command('list')
    .description('list the signing keys: kid, algorithm, state, dates, file')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      cli.run(async ({ keyStore, out }) => {
        const keys = (await keyStore.repo.list()).map((k) => {
          let file = 'ok';
          try {
            keyStore.files.read(k.kid);
          } catch {
            file = k.state === 'retired' ? 'absent' : 'UNREADABLE';
          }
          return { ...k, file };
        });
        if (opts.json) {
          out.json(keys);
          return;
        }
        out.table(
          keys.map((k) => ({
            kid: k.kid,
            alg: k.alg,
            state: k.state,
            created: iso(k.createdAt),
            activated: iso(k.activatedAt),
            'retire-after': iso(k.retireAfter),
            retired: iso(k.retiredAt),
            file: k.file,
          })),
        );
      }),
    );
}
