import { CommanderError } from 'commander';
import { createCli, EXIT_USAGE } from '../../src/cli/createCli.js';
import { buildProgram } from '../../src/cli/main.js';
import { createOutput, type Output } from '../../src/cli/output.js';
import type { CliRun } from '../cli/runHawiya.js';

/**
 * The admin CLI's command tree run in this process, its output captured: the same parsing, commands and
 * error lines as the binary, without a node + tsx start (seconds on a loaded machine) per command.
 */
export async function cliInProcess(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  // The binary's own output (tables formatted the same), written into strings.
  const sink = (add: (text: string) => void) =>
    ({
      write(text: string) {
        add(text);
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  const out: Output = createOutput({
    stdout: sink((text) => {
      stdout += text;
    }),
    stderr: sink((text) => {
      stderr += text;
    }),
  });
  const cli = createCli({ out, env: { NODE_ENV: 'test', ...env } });
  try {
    await buildProgram(cli).parseAsync(['node', 'hawiya', ...args]);
  } catch (err) {
    if (err instanceof CommanderError)
      return { code: err.exitCode === 0 ? 0 : EXIT_USAGE, stdout, stderr: stderr + err.message };
    throw err;
  }
  return { code: cli.exitCode, stdout, stderr };
}
