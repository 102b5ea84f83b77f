import { Command } from 'commander';
import { type ScheduledStep, type SigningKeyRecord, scheduledKeySteps } from '../keys/index.js';
import type { Cli } from './createCli.js';
import { iso } from './output.js';

const STEP_TEXT: Record<ScheduledStep['step'], string> = {
  publish: 'publish a next key',
  rotate: 'rotate: the next key starts signing',
  retire: 'retire (leaves the JWKS)',
};

/** The next step of the key schedule per algorithm, as `keys list` shows it. */
function nextSteps(steps: readonly ScheduledStep[]): ScheduledStep[] {
  const seen = new Set<string>();
  return steps.filter((s) => !seen.has(s.alg) && seen.add(s.alg));
}

/** What `keys list --json` prints: the keys as stored (epoch ms), then the schedule's next step per algorithm. */
export interface KeysListJson {
  keys: (SigningKeyRecord & { file: string })[];
  schedule: {
    /** KEYS_ROTATE_EVERY_DAYS; 0: automatic rotation is off (previous keys are still retired on time) */
    rotateEveryDays: number;
    /** soonest first, one per algorithm; `due`: the servers do it within a minute */
    nextSteps: (ScheduledStep & { due: boolean })[];
  };
}

/** hawiya keys list: every signing key, whether its private file can be read, and the next scheduled step. */
export function keysListCommand(cli: Cli): Command {
  return new Command('list')
    .description('list the signing keys: kid, algorithm, state, dates, file; then the next scheduled steps')
    .option('--json', 'print JSON: { keys, schedule: { rotateEveryDays, nextSteps } }')
    .action((opts: { json?: boolean }) =>
      cli.run(async ({ keyStore, out, config, clock }) => {
        const records = await keyStore.repo.list();
        const keys = records.map((k) => {
          let file = 'ok';
          try {
            keyStore.files.read(k.kid);
          } catch {
            file = k.state === 'retired' ? 'absent' : 'UNREADABLE';
          }
          return { ...k, file };
        });
        const everyDays = config.keysRotateEveryDays;
        const steps = nextSteps(
          scheduledKeySteps({
            keys: records,
            everyMs: everyDays * 24 * 60 * 60 * 1000,
            minPublishMs: config.keysMinPublishSeconds * 1000,
          }),
        );
        const now = clock.now();
        if (opts.json) {
          const shown: KeysListJson = {
            keys,
            schedule: {
              rotateEveryDays: everyDays,
              nextSteps: steps.map((s) => ({ ...s, due: s.at <= now })),
            },
          };
          out.json(shown);
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
        out.line();
        out.line(
          everyDays > 0
            ? `Automatic rotation every ${everyDays} days (KEYS_ROTATE_EVERY_DAYS). Next steps:`
            : 'Automatic rotation is off (KEYS_ROTATE_EVERY_DAYS=0). Next steps:',
        );
        if (steps.length === 0) out.line('  none scheduled');
        for (const s of steps) {
          const when = s.at <= now ? 'due now (the servers do it within a minute)' : iso(s.at);
          out.line(`  ${s.alg}: ${STEP_TEXT[s.step]}${s.kid ? ` (${s.kid})` : ''}, ${when}`);
        }
      }),
    );
}
