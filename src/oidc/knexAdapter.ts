import type { Knex } from 'knex';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Clock } from '../shared/clock.js';

// Model names whose rows carry the account id, so all of a person's sessions and tokens can be ended at once.
// Models revoked with their grant (oidc-provider's own in-memory adapter uses the same set): an Interaction
// also carries a grantId, but deleting it with the grant would break a login in progress.
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);
const WITH_ACCOUNT = new Set([
  'Session',
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'Grant',
  'BackchannelAuthenticationRequest',
  'DeviceCode',
]);

/**
 * One table for every model oidc-provider persists. Expiry is honoured on read (an expired row is as good
 * as gone) and expired rows are purged by purgeExpiredOidc().
 */
export function createKnexAdapterFactory(deps: {
  db: Knex;
  clock: Clock;
  /** the error a losing parallel use gets (oidc-provider's InvalidGrant; passed in so that importing this
   * module, as the CLI does, does not load oidc-provider) */
  alreadyConsumed: (what: string) => Error;
}) {
  const { db, clock } = deps;

  class KnexAdapter implements Adapter {
    constructor(readonly name: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const row = {
        type: this.name,
        id,
        payload: JSON.stringify(payload),
        grant_id: GRANTABLE.has(this.name) ? (payload.grantId ?? null) : null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        account_id: WITH_ACCOUNT.has(this.name) ? (payload.accountId ?? null) : null,
        expires_at: expiresIn ? clock.now() + expiresIn * 1000 : null,
      };
      await db('oidc_payloads').insert(row).onConflict(['type', 'id']).merge();
    }

    private async findWhere(where: Record<string, string>): Promise<AdapterPayload | undefined> {
      const row = await db('oidc_payloads')
        .where({ type: this.name, ...where })
        .first();
      if (!row) return undefined;
      if (row.expires_at !== null && Number(row.expires_at) <= clock.now()) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      return row.consumed_at !== null
        ? { ...payload, consumed: Math.floor(Number(row.consumed_at) / 1000) }
        : payload;
    }

    find(id: string) {
      return this.findWhere({ id });
    }

    findByUserCode(userCode: string) {
      return this.findWhere({ user_code: userCode });
    }

    findByUid(uid: string) {
      return this.findWhere({ uid });
    }

    /**
     * Only the first of two parallel uses wins: oidc-provider checks `consumed` before calling this, so
     * the losing request (a replayed code or refresh token) must fail here, and its family is revoked.
     */
    async consume(id: string): Promise<void> {
      const won = await db('oidc_payloads')
        .where({ type: this.name, id })
        .whereNull('consumed_at')
        .update({ consumed_at: clock.now() });
      if (Number(won) === 1) return;
      const row = await db('oidc_payloads').where({ type: this.name, id }).first('grant_id');
      if (row?.grant_id) {
        await db('oidc_payloads').where({ grant_id: row.grant_id }).delete();
        await db('oidc_payloads').where({ type: 'Grant', id: row.grant_id }).delete();
      }
      throw deps.alreadyConsumed(`${this.name} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      await db('oidc_payloads').where({ type: this.name, id }).delete();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db('oidc_payloads').where({ grant_id: grantId }).delete();
    }
  }

  // Clients live in their own table, managed by the admin CLI; the provider only reads them.
  class ClientAdapter extends KnexAdapter {
    override async find(id: string): Promise<AdapterPayload | undefined> {
      const row = await db('oidc_clients').where({ client_id: id }).first();
      return row ? (JSON.parse(row.metadata) as AdapterPayload) : undefined;
    }
  }

  return (name: string): Adapter => (name === 'Client' ? new ClientAdapter(name) : new KnexAdapter(name));
}

/** Deletes every expired row oidc-provider left behind. */
export async function purgeExpiredOidc(db: Knex, now: number): Promise<number> {
  return db('oidc_payloads').whereNotNull('expires_at').andWhere('expires_at', '<=', now).delete();
}

/** Ends every session, grant and token of an account (password reset, lock, admin logout). */
export async function revokeAccountArtifacts(db: Knex, accountId: string): Promise<number> {
  const grants = await db('oidc_payloads')
    .where({ account_id: accountId })
    .whereNotNull('grant_id')
    .distinct('grant_id');
  let n = await db('oidc_payloads').where({ account_id: accountId }).delete();
  const ids = grants.map((g) => g.grant_id as string);
  if (ids.length > 0) n += await db('oidc_payloads').whereIn('grant_id', ids).delete();
  return n;
}
