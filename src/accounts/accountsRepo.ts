import type { Knex } from 'knex';

/** disabled: too many failures, a password reset restores it; locked: by an administrator, only unlock does */
export type AccountStatus = 'active' | 'disabled' | 'locked';

export interface Account {
  id: string;
  nationalId: string;
  username: string;
  passwordHash: string;
  email: string | null;
  status: AccountStatus;
  failedLogins: number;
  lockedUntil: number | null;
  createdAt: number;
  activatedAt: number | null;
  passwordChangedAt: number;
  /** the language the person last signed in with; null until their first sign-in */
  locale: 'ar' | 'en' | null;
  /** when the one-time offer to add a passkey was made (null: not yet); read only, set by markPasskeyOffered */
  passkeyOfferedAt?: number | null;
}

function toAccount(row: Record<string, unknown>): Account {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: String(row.id),
    nationalId: String(row.national_id),
    username: String(row.username),
    passwordHash: String(row.password_hash),
    email: (row.email as string | null) ?? null,
    status: row.status as AccountStatus,
    failedLogins: Number(row.failed_logins),
    lockedUntil: n(row.locked_until),
    createdAt: Number(row.created_at),
    activatedAt: n(row.activated_at),
    passwordChangedAt: Number(row.password_changed_at),
    locale: row.locale === 'ar' || row.locale === 'en' ? row.locale : null,
    passkeyOfferedAt: n(row.passkey_offered_at),
  };
}

export function createAccountsRepo(db: Knex) {
  return {
    async findById(id: string): Promise<Account | undefined> {
      const row = await db('accounts').where({ id }).first();
      return row ? toAccount(row) : undefined;
    },
    async findByNationalId(nationalId: string): Promise<Account | undefined> {
      const row = await db('accounts').where({ national_id: nationalId }).first();
      return row ? toAccount(row) : undefined;
    },
    async findByUsername(username: string): Promise<Account | undefined> {
      const row = await db('accounts').where({ username: username.toLowerCase() }).first();
      return row ? toAccount(row) : undefined;
    },
    async insert(a: Account, trx?: Knex): Promise<void> {
      await (trx ?? db)('accounts').insert({
        id: a.id,
        national_id: a.nationalId,
        username: a.username.toLowerCase(),
        password_hash: a.passwordHash,
        email: a.email,
        status: a.status,
        failed_logins: a.failedLogins,
        locked_until: a.lockedUntil,
        created_at: a.createdAt,
        activated_at: a.activatedAt,
        password_changed_at: a.passwordChangedAt,
        locale: a.locale,
      });
    },
    async setPasswordHash(id: string, hash: string, changedAt?: number, trx?: Knex): Promise<void> {
      await (trx ?? db)('accounts')
        .where({ id })
        .update({ password_hash: hash, ...(changedAt ? { password_changed_at: changedAt } : {}) });
    },
    /** Adds one failure and returns the new count (atomic, so parallel guesses all count). */
    async addFailure(id: string): Promise<number> {
      await db('accounts').where({ id }).increment('failed_logins', 1);
      const row = await db('accounts').where({ id }).first('failed_logins');
      return Number(row?.failed_logins ?? 0);
    },
    async setLock(id: string, lockedUntil: number | null, status?: AccountStatus): Promise<void> {
      await db('accounts')
        .where({ id })
        .update({ locked_until: lockedUntil, ...(status ? { status } : {}) });
    },
    async clearFailures(id: string, trx?: Knex): Promise<void> {
      await (trx ?? db)('accounts').where({ id }).update({ failed_logins: 0, locked_until: null });
    },
    async setLocale(id: string, locale: 'ar' | 'en'): Promise<void> {
      await db('accounts').where({ id }).update({ locale });
    },
    async setStatus(id: string, status: AccountStatus, trx?: Knex): Promise<void> {
      await (trx ?? db)('accounts').where({ id }).update({ status });
    },
    /** Marks the passkey offer as shown; true only the first time (atomic: two logins at once offer once). */
    async markPasskeyOffered(id: string, at: number): Promise<boolean> {
      const n = await db('accounts')
        .where({ id })
        .whereNull('passkey_offered_at')
        .update({ passkey_offered_at: at });
      return n > 0;
    },
  };
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
