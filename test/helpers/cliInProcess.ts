import { CommanderError } from 'commander';
import { createCli, EXIT_USAGE } from '../../src/cli/createCli.js';
import { buildProgram } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import type { CliRun } from '../cli/runHawiya.js';

/**
 * The admin CLI's command tree run in this process, its output captured: the same parsing, commands and
 * error lines as the binary, without a node + tsx start (seconds on a loaded machine) per command.
 */
export async function cliInProcess(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out: Output = {
    line: (text = '') => {
      stdout += `${text}\n`;
    },
    json: (value) => {
      stdout += `${JSON.stringify(value, null, 2)}\n`;
    },
    table: (rows) => {
      stdout += `${JSON.stringify(rows)}\n`;
    },
    error: (text) => {
      stderr += `hawiya: ${text}\n`;
    },
    write: (text) => {
      stdout += text;
    },
  };
  const cli = createCli({ out, env: { NODE_ENV: 'test', ...env } });
  try {
    await buildProgram(cli).parseAsync(['node', 'hawiya', ...args]);
  } catch (err) {
    if (err instanceof CommanderError) return { code: EXIT_USAGE, stdout, stderr: stderr + err.message };
    throw err;
  }
  return { code: cli.exitCode, stdout, stderr };
}
