import { chmodSync } from 'node:fs';
import type { Knex } from 'knex';
import { BackupRefused } from './backupErrors.js';
import { finished, pgConnection, startPgTool } from './pgTools.js';

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The schema DATABASE_URL's tables live in: the first of its search_path (public unless it says otherwise). */
export async function pgSchemaOf(db: Knex): Promise<string> {
  const current = (await db.raw('select current_schema() as s')).rows[0]?.s as string | null;
  if (current) return current;
  // search_path names a schema that does not exist yet (a fresh database to restore into).
  const path = String((await db.raw('show search_path')).rows[0]?.search_path ?? '');
  const first = path
    .split(',')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    .find((s) => s && s !== '$user');
  return first ?? 'public';
}

export async function pgTableCount(db: Knex, schema: string): Promise<number> {
  const rows = (
    await db.raw(
      "select count(*)::int as n from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE'",
      [schema],
    )
  ).rows as { n: number }[];
  return rows[0]?.n ?? 0;
}

/** pg_dump of one schema in the custom format: a consistent snapshot, taken while the nodes serve. */
export async function backupPg(opts: { databaseUrl: string; schema: string; dest: string }): Promise<void> {
  const { url, env } = pgConnection(opts.databaseUrl);
  const dump = startPgTool(
    'pg_dump',
    ['--format=custom', `--schema=${opts.schema}`, `--file=${opts.dest}`, `--dbname=${url}`],
    env,
  );
  await finished(dump, 'pg_dump');
  chmodSync(opts.dest, 0o600);
}

/**
 * Replaces the schema by the dump's, in one transaction: psql runs BEGIN, drops the schema, replays
 * pg_restore's script, and gets COMMIT only once pg_restore has written the whole script without error. A
 * failure anywhere (a damaged dump, a statement refused, a lost connection) leaves the database as it was.
 */
export async function restorePg(opts: {
  databaseUrl: string;
  schema: string;
  source: string;
}): Promise<void> {
  const { url, env } = pgConnection(opts.databaseUrl);
  const script = startPgTool('pg_restore', ['--no-owner', '--no-privileges', '--file=-', opts.source], env);
  const psql = startPgTool('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', `--dbname=${url}`], env);
  const psqlDone = finished(psql, 'psql');
  const scriptDone = finished(script, 'pg_restore');
  // psql stopped at an error: stop pg_restore too (it would block on a full pipe), and tell psql's error.
  let psqlError: Error | undefined;
  psqlDone.catch((err: Error) => {
    psqlError = err;
    script.kill('SIGTERM');
  });
  psql.stdin?.on('error', () => undefined);
  psql.stdin?.write(`BEGIN;\nDROP SCHEMA IF EXISTS ${quoteIdent(opts.schema)} CASCADE;\n`);
  script.stdout?.pipe(psql.stdin as NodeJS.WritableStream, { end: false });
  try {
    await scriptDone;
  } catch (err) {
    // No COMMIT: psql ends and PostgreSQL rolls the transaction back.
    const why = (psqlError ?? (err as Error)).message;
    psql.kill('SIGTERM');
    await psqlDone.catch(() => undefined);
    throw new BackupRefused(`${why}; nothing was restored, the database is unchanged`);
  }
  psql.stdin?.end('COMMIT;\n');
  await psqlDone.catch((err: Error) => {
    throw new BackupRefused(`the restore was rolled back, the database is unchanged: ${err.message}`);
  });
}

export function assertSameSchema(backupSchema: string, targetSchema: string): void {
  if (backupSchema !== targetSchema) {
    throw new BackupRefused(
      `the backup holds schema "${backupSchema}" but DATABASE_URL uses schema "${targetSchema}": restore into a database whose search_path is "${backupSchema}"`,
    );
  }
}
