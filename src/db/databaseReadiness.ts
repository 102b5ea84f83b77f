import type { Knex } from 'knex';
import { migrationStatus } from './migrate.js';

const CHECK_TIMEOUT_MS = 2000;

/**
 * What keeps this database from serving, as short reasons for /readyz: unreachable, or migrations not
 * applied (a node of an older or newer version than the schema). Empty when it can serve.
 */
export async function databaseProblems(db: Knex): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([db.raw('select 1'), timeout]);
    const { pending } = await Promise.race([migrationStatus(db), timeout]);
    return pending.length > 0 ? [`migrations pending: ${pending.join(', ')}`] : [];
  } catch (err) {
    return [`database unreachable: ${(err as Error).message.split('\n')[0]}`];
  } finally {
    clearTimeout(timer);
  }
}
