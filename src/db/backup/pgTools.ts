import { type ChildProcess, spawn } from 'node:child_process';
import { BackupRefused } from './backupErrors.js';

/**
 * A connection for pg_dump, pg_restore and psql: the URL without its password on the command line (where
 * `ps` shows it to every user), the password in PGPASSWORD.
 */
export function pgConnection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

/** Starts a PostgreSQL client program (`finished` names it, and the package that brings it, when it is missing). */
export function startPgTool(program: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Waits for a program started by startPgTool; refuses with its message when it fails. */
export function finished(child: ChildProcess, program: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new BackupRefused(
              `${program} was not found on PATH: install the PostgreSQL client of the server's version (Debian: postgresql-client)`,
            )
          : err,
      );
    });
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new BackupRefused(
            `${program} failed (${code ?? signal}): ${stderr.trim().split('\n').slice(-3).join(' | ') || 'no message'}`,
          ),
        );
    });
  });
}
