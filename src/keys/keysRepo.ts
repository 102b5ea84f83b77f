import type { Knex } from 'knex';

export const SIGNING_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
export type KeyState = 'next' | 'current' | 'previous' | 'retired';
/** The PostgreSQL channel on which key changes are announced to every node (LISTEN/NOTIFY). */
export const KEY_CHANGES_CHANNEL = 'hawiya_keys';

export interface SigningKeyRecord {
  kid: string;
  alg: SigningAlg;
  state: KeyState;
  createdAt: number;
  activatedAt: number | null;
  retireAfter: number | null;
  retiredAt: number | null;
}

function toRecord(row: Record<string, unknown>): SigningKeyRecord {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    kid: String(row.kid),
    alg: row.alg as SigningAlg,
    state: row.state as KeyState,
    createdAt: Number(row.created_at),
    activatedAt: n(row.activated_at),
    retireAfter: n(row.retire_after),
    retiredAt: n(row.retired_at),
  };
}

export function createKeysRepo(db: Knex) {
  return {
    async list(trx?: Knex): Promise<SigningKeyRecord[]> {
      const rows = await (trx ?? db)('signing_keys').orderBy('created_at', 'asc').orderBy('kid', 'asc');
      return rows.map(toRecord);
    },
    /** Inside a transaction: reads every key and, on PostgreSQL, locks the rows so two rotations queue up. */
    async listForUpdate(trx: Knex): Promise<SigningKeyRecord[]> {
      const query = trx('signing_keys').orderBy('created_at', 'asc').orderBy('kid', 'asc');
      const rows = trx.client.config.client === 'pg' ? await query.forUpdate() : await query;
      return rows.map(toRecord);
    },
    async insert(rec: SigningKeyRecord, trx?: Knex): Promise<void> {
      await (trx ?? db)('signing_keys').insert({
        kid: rec.kid,
        alg: rec.alg,
        state: rec.state,
        created_at: rec.createdAt,
        activated_at: rec.activatedAt,
        retire_after: rec.retireAfter,
        retired_at: rec.retiredAt,
      });
    },
    async update(
      kid: string,
      patch: Partial<Omit<SigningKeyRecord, 'kid' | 'alg'>>,
      trx?: Knex,
    ): Promise<void> {
      const row: Record<string, unknown> = {};
      if (patch.state !== undefined) row.state = patch.state;
      if (patch.activatedAt !== undefined) row.activated_at = patch.activatedAt;
      if (patch.retireAfter !== undefined) row.retire_after = patch.retireAfter;
      if (patch.retiredAt !== undefined) row.retired_at = patch.retiredAt;
      await (trx ?? db)('signing_keys').where({ kid }).update(row);
    },
    async remove(kid: string, trx?: Knex): Promise<void> {
      await (trx ?? db)('signing_keys').where({ kid }).delete();
    },
    /**
     * Tells every node that the key states changed. On PostgreSQL a NOTIFY sent inside a transaction is
     * delivered when it commits, and never if it rolls back; SQLite has no such thing (nodes poll).
     */
    async announceChange(trx?: Knex): Promise<void> {
      const conn = trx ?? db;
      if (conn.client.config.client === 'pg') {
        await conn.raw('select pg_notify(?, ?)', [KEY_CHANGES_CHANNEL, 'keys']);
      }
    },
    /** A cheap fingerprint of the key states: running servers reload their keys when it changes. */
    async version(): Promise<string> {
      const rows = await db('signing_keys').select('kid', 'state').orderBy('kid');
      return rows.map((r) => `${r.kid}:${r.state}`).join(',');
    },
  };
}

export type KeysRepo = ReturnType<typeof createKeysRepo>;
