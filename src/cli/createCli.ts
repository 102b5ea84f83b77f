import { ConfigError } from '../config.js';
import { HawiyaError } from '../shared/errors.js';
import { type CliContext, openCliContext } from './cliContext.js';
import { CliRefused, UsageError } from './cliErrors.js';
import type { Output } from './output.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Runs command bodies: opens the context, maps every error to one line and an exit code, never a stack. */
export interface Cli {
  out: Output;
  env: NodeJS.ProcessEnv;
  exitCode: number;
  /** `task` may return an exit code; anything else means 0. */
  run(task: (ctx: CliContext) => Promise<unknown>, opts?: { migrated?: boolean }): Promise<void>;
}

export function describeError(err: unknown): { message: string; code: number } {
  if (err instanceof ConfigError)
    return { message: `configuration: ${err.problems.join('; ')}`, code: EXIT_USAGE };
  if (err instanceof UsageError) return { message: err.message, code: EXIT_USAGE };
  if (err instanceof CliRefused) return { message: err.message, code: EXIT_FAILED };
  if (err instanceof HawiyaError) {
    // KeyUnreadable and KeyRefused set a sentence; other domain errors have their stable code.
    const message = err.message !== err.code ? err.message : `${err.code} ${JSON.stringify(err.params)}`;
    return { message, code: EXIT_FAILED };
  }
  const e = err as { message?: string; code?: string };
  return { message: `failed: ${e.code ? `${e.code} ` : ''}${e.message ?? String(err)}`, code: EXIT_FAILED };
}

export function createCli(deps: { out: Output; env: NodeJS.ProcessEnv }): Cli {
  const cli: Cli = {
    out: deps.out,
    env: deps.env,
    exitCode: EXIT_OK,
    async run(task, opts = {}) {
      let ctx: Awaited<ReturnType<typeof openCliContext>> | undefined;
      try {
        ctx = await openCliContext({ env: deps.env, out: deps.out, migrated: opts.migrated ?? true });
        const code = await task(ctx);
        cli.exitCode = typeof code === 'number' ? code : EXIT_OK;
      } catch (err) {
        const { message, code } = describeError(err);
        deps.out.error(message);
        cli.exitCode = code;
      } finally {
        await ctx?.close().catch(() => undefined);
      }
    },
  };
  return cli;
}
