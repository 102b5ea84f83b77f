import type { Knex } from 'knex';

/** A passkey of an account as stored: what verifying its next assertion and the security page need. */
export interface StoredPasskey {
  /** credential id, base64url */
  id: string;
  accountId: string;
  /** COSE public key, base64url */
  publicKey: string;
  counter: number;
  transports: string[];
  aaguid: string;
  /** BE: the credential may be synced to other devices (never the high level) */
  backupEligible: boolean;
  /** BS: it is backed up (synced) now */
  backedUp: boolean;
  /** the attestation format verified at enrolment: `none` unless the attestation policy asked for one */
  attestation: string;
  /** its attestation chain led to a configured trusted root at enrolment (never self or `none`) */
  attestationTrusted: boolean;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

function toPasskey(row: Record<string, unknown>): StoredPasskey {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    publicKey: String(row.public_key),
    counter: Number(row.counter),
    transports: JSON.parse(String(row.transports)) as string[],
    aaguid: String(row.aaguid),
    backupEligible: Boolean(row.backup_eligible),
    backedUp: Boolean(row.backed_up),
    attestation: String(row.attestation),
    attestationTrusted: Boolean(row.attestation_trusted),
    name: String(row.name),
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null || row.last_used_at === undefined ? null : Number(row.last_used_at),
  };
}

/** The `passkeys` table. */
export function createPasskeysRepo(db: Knex) {
  return {
    async find(id: string): Promise<StoredPasskey | undefined> {
      if (id.length === 0 || id.length > 1400) return undefined;
      const row = await db('passkeys').where({ id }).first();
      return row ? toPasskey(row) : undefined;
    },
    async listFor(accountId: string): Promise<StoredPasskey[]> {
      const rows = await db('passkeys').where({ account_id: accountId }).orderBy('created_at', 'asc');
      return rows.map(toPasskey);
    },
    async insert(p: StoredPasskey): Promise<void> {
      await db('passkeys').insert({
        id: p.id,
        account_id: p.accountId,
        public_key: p.publicKey,
        counter: p.counter,
        transports: JSON.stringify(p.transports),
        aaguid: p.aaguid,
        backup_eligible: p.backupEligible,
        backed_up: p.backedUp,
        attestation: p.attestation,
        attestation_trusted: p.attestationTrusted,
        name: p.name,
        created_at: p.createdAt,
        last_used_at: p.lastUsedAt,
      });
    },
    /** After a verified assertion: the new counter, the backup state, when. */
    async recordUse(id: string, use: { counter: number; backedUp: boolean; at: number }): Promise<void> {
      await db('passkeys')
        .where({ id })
        .update({ counter: use.counter, backed_up: use.backedUp, last_used_at: use.at });
    },
    async rename(accountId: string, id: string, name: string): Promise<boolean> {
      return (await db('passkeys').where({ id, account_id: accountId }).update({ name })) > 0;
    },
    async remove(accountId: string, id: string): Promise<boolean> {
      return (await db('passkeys').where({ id, account_id: accountId }).delete()) > 0;
    },
  };
}

export type PasskeysRepo = ReturnType<typeof createPasskeysRepo>;
