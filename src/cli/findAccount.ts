import { type Account, createAccountsRepo } from '../accounts/accountsRepo.js';
import type { Db } from '../db/createDb.js';
import { normalizeDigits } from '../registry/index.js';
import { CliRefused } from './cliErrors.js';

/** An account by its id, its national ID or its username; refuses when there is none. */
export async function findAccount(db: Db, who: string): Promise<Account> {
  const repo = createAccountsRepo(db);
  const digits = normalizeDigits(who.trim());
  const account =
    (await repo.findById(who.trim())) ??
    (/^\d{10}$/.test(digits) ? await repo.findByNationalId(digits) : undefined) ??
    (await repo.findByUsername(who.trim()));
  // The argument may be a national ID: never echo it whole.
  if (!account) throw new CliRefused('no account matches that id, national ID or username');
  return account;
}
