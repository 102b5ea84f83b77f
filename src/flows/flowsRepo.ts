import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';
import { FlowExpired } from '../shared/errors.js';

export type FlowKind =
  | 'register'
  | 'reset'
  | 'login'
  | 'account'
  | 'passkey'
  | 'passkey-offer'
  | 'totp-enrol'
  | 'recovery-codes';

/** The handle given to the browser; only its hash is stored, so a database dump opens no journey. */
export function newFlowHandle(): string {
  return randomBytes(32).toString('base64url');
}

function idOf(handle: string): string {
  return createHash('sha256').update(handle).digest('base64url');
}

/** Server-side state of a multi-step journey, keyed by a secret handle, with an expiry. */
export function createFlowsRepo(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async save<T extends object>(
      kind: FlowKind,
      handle: string,
      data: T,
      ttlSeconds: number,
      trx?: Knex,
    ): Promise<void> {
      const id = idOf(handle);
      await (trx ?? db)('flows')
        .insert({ id, kind, data: JSON.stringify(data), expires_at: clock.now() + ttlSeconds * 1000 })
        .onConflict('id')
        .merge();
    },
    async find<T extends object>(kind: FlowKind, handle: string | undefined): Promise<T | undefined> {
      if (!handle || handle.length > 200) return undefined;
      const row = await db('flows')
        .where({ id: idOf(handle), kind })
        .first();
      if (!row || Number(row.expires_at) <= clock.now()) return undefined;
      return JSON.parse(row.data) as T;
    },
    async get<T extends object>(kind: FlowKind, handle: string | undefined): Promise<T> {
      const data = await this.find<T>(kind, handle);
      if (!data) throw new FlowExpired();
      return data;
    },
    async update<T extends object>(kind: FlowKind, handle: string, data: T, trx?: Knex): Promise<void> {
      await (trx ?? db)('flows')
        .where({ id: idOf(handle), kind })
        .update({ data: JSON.stringify(data) });
    },
    /**
     * Reads and deletes in one go: of two requests taking the same handle at once, only one gets the data
     * (a WebAuthn challenge is single use, checklist 37).
     */
    async take<T extends object>(kind: FlowKind, handle: string): Promise<T | undefined> {
      const data = await this.find<T>(kind, handle);
      if (!data) return undefined;
      const deleted = await db('flows')
        .where({ id: idOf(handle), kind })
        .delete();
      return deleted === 1 ? data : undefined;
    },
    async remove(handle: string, trx?: Knex): Promise<void> {
      await (trx ?? db)('flows')
        .where({ id: idOf(handle) })
        .delete();
    },
    async purgeExpired(): Promise<number> {
      return db('flows').where('expires_at', '<=', clock.now()).delete();
    },
  };
}

export type FlowsRepo = ReturnType<typeof createFlowsRepo>;
