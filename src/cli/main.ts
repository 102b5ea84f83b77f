import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { appointmentsListCommand } from './appointmentsList.js';
import { auditExportCommand } from './auditExport.js';
import { auditTailCommand } from './auditTail.js';
import { backupCommand } from './backupCommand.js';
import { clientsAddCommand } from './clientsAdd.js';
import { clientsListCommand } from './clientsList.js';
import { clientsRemoveCommand } from './clientsRemove.js';
import { clientsRotateSecretCommand } from './clientsRotateSecret.js';
import { clientsShowCommand } from './clientsShow.js';
import { clientsUpdateCommand } from './clientsUpdate.js';
import { type Cli, createCli, EXIT_OK, EXIT_USAGE } from './createCli.js';
import { holidaysAddCommand, holidaysListCommand } from './holidaysCommands.js';
import { keysListCommand } from './keysList.js';
import { keysPruneCommand } from './keysPrune.js';
import { keysRetireCommand } from './keysRetire.js';
import { keysRotateCommand } from './keysRotate.js';
import { migrateCommand } from './migrateCommand.js';
import { officesAddCommand } from './officesAdd.js';
import { officesListCommand } from './officesList.js';
import { officesUpdateCommand } from './officesUpdate.js';
import { createOutput } from './output.js';
import { purgeCommand } from './purgeCommand.js';
import { registryImportCommand } from './registryImport.js';
import { registryShowCommand } from './registryShow.js';
import {
  requestsAttendCommand,
  requestsCancelCommand,
  requestsCollectCommand,
  requestsReadyCommand,
  requestsShowCommand,
} from './requestsCommands.js';
import { restoreCommand } from './restoreCommand.js';
import { usersLockCommand } from './usersLock.js';
import { usersLogoutCommand } from './usersLogout.js';
import { usersResetMfaCommand } from './usersResetMfa.js';
import { usersShowCommand } from './usersShow.js';
import { usersUnlockCommand } from './usersUnlock.js';

function group(name: string, description: string, commands: Command[]): Command {
  const cmd = new Command(name).description(description);
  for (const c of commands) cmd.addCommand(c);
  return cmd;
}

/** The whole command tree; each command lives in its own file. */
export function buildProgram(cli: Cli): Command {
  const program = new Command('hawiya')
    .description(
      'Hawiya administration: signing keys, clients, registry, users, audit, maintenance, civil-affairs offices',
    )
    .addCommand(
      group('keys', 'signing keys and their rotation', [
        keysListCommand(cli),
        keysRotateCommand(cli),
        keysRetireCommand(cli),
        keysPruneCommand(cli),
      ]),
    )
    .addCommand(
      group('clients', 'relying parties', [
        clientsAddCommand(cli),
        clientsListCommand(cli),
        clientsShowCommand(cli),
        clientsUpdateCommand(cli),
        clientsRemoveCommand(cli),
        clientsRotateSecretCommand(cli),
      ]),
    )
    .addCommand(
      group('registry', 'civil-registry records', [registryImportCommand(cli), registryShowCommand(cli)]),
    )
    .addCommand(
      group('users', 'accounts', [
        usersShowCommand(cli),
        usersLockCommand(cli),
        usersUnlockCommand(cli),
        usersResetMfaCommand(cli),
        usersLogoutCommand(cli),
      ]),
    )
    .addCommand(group('audit', 'the audit trail', [auditTailCommand(cli), auditExportCommand(cli)]))
    .addCommand(
      group('offices', 'civil-affairs offices (replacement appointments)', [
        officesListCommand(cli),
        officesAddCommand(cli),
        officesUpdateCommand(cli),
      ]),
    )
    .addCommand(
      group('holidays', 'public holidays: every office closed', [
        holidaysAddCommand(cli),
        holidaysListCommand(cli),
      ]),
    )
    .addCommand(group('appointments', "an office's appointments", [appointmentsListCommand(cli)]))
    .addCommand(
      group('requests', 'replacement requests: the office staff’s steps', [
        requestsShowCommand(cli),
        requestsAttendCommand(cli),
        requestsReadyCommand(cli),
        requestsCollectCommand(cli),
        requestsCancelCommand(cli),
      ]),
    )
    .addCommand(migrateCommand(cli))
    .addCommand(backupCommand(cli))
    .addCommand(restoreCommand(cli))
    .addCommand(purgeCommand(cli));
  // addCommand() does not pass settings down: every command must throw instead of exiting, and write
  // through our streams.
  const configure = (cmd: Command) => {
    cmd
      .exitOverride()
      .showHelpAfterError('(add --help for usage)')
      .configureOutput({
        writeOut: (s) => cli.out.write(s),
        writeErr: (s) => process.stderr.write(s),
      });
    for (const sub of cmd.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** Runs one command line; returns the exit code (0 ok, 1 refused or failed, 2 usage error). */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const cli = createCli({ out: createOutput({ stdout: process.stdout, stderr: process.stderr }), env });
  const program = buildProgram(cli);
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version'
        ? EXIT_OK
        : EXIT_USAGE;
    }
    throw err;
  }
  return cli.exitCode;
}

// `npm run cli -- …` runs this file directly; src/cli/hawiya.js imports it and calls runCli.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv, process.env);
}
