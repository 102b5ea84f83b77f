import type { Knex } from 'knex';
import { createPreparedStatements } from '../db/preparedStatements.js';
import { type RegistryPerson, type RegistryRow, registryPersonOf } from '../registry/index.js';
import type { Account } from './accountsRepo.js';

/** What the claims of a person are made of: their account (no secrets) and their registry record. */
export interface AccountWithPerson {
  account: Pick<Account, 'id' | 'status' | 'username' | 'email' | 'locale'>;
  /** undefined when the registry no longer holds them */
  person: RegistryPerson | undefined;
}

// One statement, prepared once, for every token a relying party presents (userinfo, ID tokens, API
// tokens): the account and its registry record together. The password hash is not read.
const ACCOUNT_WITH_PERSON = `select a."id" as "account_id", a."status" as "account_status", a."username",
  a."email" as "account_email", a."locale", p."national_id", p."id_type", p."given_name_ar",
  p."family_name_ar", p."given_name_en", p."family_name_en", p."birth_date", p."sex", p."status",
  p."mobile", p."email", p."updated_at"
  from "accounts" a left join "registry_persons" p on p."national_id" = a."national_id" where a."id" = ?`;

type Row = RegistryRow & {
  account_id: string;
  account_status: string;
  username: string;
  account_email: string | null;
  locale: string | null;
};

/** The account with this id and its person, read in one statement; undefined for no such account. */
export function createAccountWithPerson(db: Knex) {
  const sql = createPreparedStatements(db);
  return async function accountWithPerson(id: string): Promise<AccountWithPerson | undefined> {
    const row = await sql.get<Row>(ACCOUNT_WITH_PERSON, [id]);
    if (!row) return undefined;
    return {
      account: {
        id: String(row.account_id),
        status: row.account_status as Account['status'],
        username: String(row.username),
        email: row.account_email ?? null,
        locale: row.locale === 'ar' || row.locale === 'en' ? row.locale : null,
      },
      person: row.national_id === null ? undefined : registryPersonOf(row),
    };
  };
}
