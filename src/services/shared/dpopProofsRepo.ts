import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../shared/clock.js';

const TABLE = 'service_dpop_proofs';

/** Where the APIs remember the DPoP proofs they accepted, so that none is accepted twice. */
export interface DpopProofs {
  /** Records the proof `jti` for `audience` until `expiresAt`; false when it was already used. */
  firstUse(audience: string, jti: string, expiresAt: number): Promise<boolean>;
}

/** PostgreSQL unique_violation; SQLite's primary-key or unique constraint. */
function alreadyThere(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '23505' || (typeof code === 'string' && /^SQLITE_CONSTRAINT/.test(code));
}

/**
 * Owns `service_dpop_proofs`: the replay memory of the services' APIs, in their database, so that a proof
 * accepted by one worker or node is refused by every other (RFC 9449 §11.1). The primary key decides: the
 * second insert of the same proof fails, whichever process makes it.
 */
export function createDpopProofs(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async firstUse(audience: string, jti: string, expiresAt: number): Promise<boolean> {
      const jtiHash = createHash('sha256').update(`${audience}\n${jti}`).digest('hex');
      try {
        await db(TABLE).insert({ jti_hash: jtiHash, expires_at: expiresAt });
        return true;
      } catch (err) {
        if (!alreadyThere(err)) throw err;
        // A row past its expiry is a proof too old to be accepted: the verifier refused it before this.
        return false;
      }
    },
    /** Deletes the proofs too old to be presented again (the services' sweep). */
    async purgeExpired(): Promise<number> {
      return db(TABLE).where('expires_at', '<', clock.now()).delete();
    },
  } satisfies DpopProofs & { purgeExpired(): Promise<number> };
}

export type DpopProofsRepo = ReturnType<typeof createDpopProofs>;
