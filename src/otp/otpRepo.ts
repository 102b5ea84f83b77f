import type { Knex } from 'knex';

export type OtpPurpose = 'activation' | 'login' | 'reset';
export type OtpChannel = 'sms' | 'email';

export interface OtpRecord {
  id: string;
  purpose: OtpPurpose;
  binding: string;
  subject: string;
  channel: OtpChannel;
  codeHash: string;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

function toRecord(row: Record<string, unknown>): OtpRecord {
  return {
    id: String(row.id),
    purpose: row.purpose as OtpPurpose,
    binding: String(row.binding),
    subject: String(row.subject),
    channel: row.channel as OtpChannel,
    codeHash: String(row.code_hash),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    consumedAt: row.consumed_at === null || row.consumed_at === undefined ? null : Number(row.consumed_at),
  };
}

export function createOtpRepo(db: Knex) {
  return {
    async insert(rec: OtpRecord, trx?: Knex): Promise<void> {
      await (trx ?? db)('otp_codes').insert({
        id: rec.id,
        purpose: rec.purpose,
        binding: rec.binding,
        subject: rec.subject,
        channel: rec.channel,
        code_hash: rec.codeHash,
        attempts: rec.attempts,
        max_attempts: rec.maxAttempts,
        created_at: rec.createdAt,
        expires_at: rec.expiresAt,
        consumed_at: rec.consumedAt,
      });
    },
    /** The newest code of a transaction, used or not. */
    async latest(binding: string, purpose: OtpPurpose, trx?: Knex): Promise<OtpRecord | undefined> {
      const row = await (trx ?? db)('otp_codes')
        .where({ binding, purpose })
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .first();
      return row ? toRecord(row) : undefined;
    },
    /** Voids every open code of a transaction (a new one replaces them). */
    async voidOpen(binding: string, purpose: OtpPurpose, now: number, trx?: Knex): Promise<void> {
      await (trx ?? db)('otp_codes')
        .where({ binding, purpose })
        .whereNull('consumed_at')
        .update({ consumed_at: now });
    },
    /** Counts one try, only while the code is open; false when it was not (used, void, or out of tries). */
    async countAttempt(id: string, now: number): Promise<boolean> {
      const n = await db('otp_codes')
        .where({ id })
        .whereNull('consumed_at')
        .andWhere('expires_at', '>', now)
        .andWhereRaw('attempts < max_attempts')
        .increment('attempts', 1);
      return Number(n) === 1;
    },
    /**
     * Marks the code used, counting this (right) try, only while it is open; false when another request
     * used it first (replay) or took its last try.
     */
    async consume(id: string, now: number, trx?: Knex): Promise<boolean> {
      const n = await (trx ?? db)('otp_codes')
        .where({ id })
        .whereNull('consumed_at')
        .andWhere('expires_at', '>', now)
        .andWhereRaw('attempts < max_attempts')
        .update({ consumed_at: now, attempts: db.raw('attempts + 1') });
      return Number(n) === 1;
    },
    async remove(id: string): Promise<void> {
      await db('otp_codes').where({ id }).delete();
    },
    async purgeExpired(now: number): Promise<number> {
      return db('otp_codes').where('expires_at', '<=', now).delete();
    },
  };
}

export type OtpRepo = ReturnType<typeof createOtpRepo>;
