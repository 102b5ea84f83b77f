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

/**
 * The columns of an account (`a`, from "accounts") and its registry record (`p`, from "registry_persons"
 * joined on the national ID), as accountWithPersonOf reads them: for a statement that reads them along
 * with something else (a token and its account, oidc's adapter). The password hash is not read.
 */
export const ACCOUNT_WITH_PERSON_COLUMNS = `a."id" as "account_id", a."status" as "account_status", a."username",
  a."email" as "account_email", a."locale", p."national_id", p."id_type", p."given_name_ar",
  p."family_name_ar", p."given_name_en", p."family_name_en", p."birth_date", p."sex", p."status",
  p."mobile", p."email", p."updated_at"`;

// One statement, prepared once, for every token a relying party presents (userinfo, ID tokens, API
// tokens): the account and its registry record together.
const ACCOUNT_WITH_PERSON = `select ${ACCOUNT_WITH_PERSON_COLUMNS}
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
    return row ? accountWithPersonOf(row) : undefined;
  };
}

/** The account and person of a row read with ACCOUNT_WITH_PERSON_COLUMNS (its account_id not null). */
export function accountWithPersonOf(row: object): AccountWithPerson {
  const r = row as Row;
  return {
    account: {
      id: String(r.account_id),
      status: r.account_status as Account['status'],
      username: String(r.username),
      email: r.account_email ?? null,
      locale: r.locale === 'ar' || r.locale === 'en' ? r.locale : null,
    },
    person: r.national_id === null || r.national_id === undefined ? undefined : registryPersonOf(r),
  };
}
