import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import {
  ACCOUNT_WITH_PERSON_COLUMNS,
  type AccountWithPerson,
  accountWithPersonOf,
} from '../accounts/index.js';
import { answerWritesHeld } from '../db/answerWrites.js';
import { checkedChanges, createPreparedStatements } from '../db/preparedStatements.js';
import type { Clock } from '../shared/clock.js';
import { hasControlChars } from '../shared/controlChars.js';
import { cachedClients } from './cachedClients.js';
import type { ClientsFreshness } from './clientsFreshness.js';
import { createReadAlong, type PayloadRow, type ReadAlong } from './readAlong.js';

/**
 * Models whose id is itself a bearer secret: the token or code a client presents, the session cookie's
 * value, a PAR request_uri. Their rows are keyed by a keyed hash of the id and the id is left out of the
 * stored payload, so a copy of the database (or a backup) holds no usable token. Grants and Interactions
 * are not secrets (their ids appear in URLs and on the account page) and are stored as they are; an
 * Interaction's copy of the session cookie value is dropped.
 */
export const HASHED_ID_MODELS: ReadonlySet<string> = new Set([
  'Session',
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'ClientCredentials',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PushedAuthorizationRequest',
  'RegistrationAccessToken',
  'InitialAccessToken',
]);

/**
 * The hash keys, one per cookie key, derived with a purpose label so they never equal a cookie key. Like
 * the cookies, the first one writes and every one still finds: rotating COOKIE_KEYS ends no session.
 */
export function oidcIdKeys(cookieKeys: readonly string[]): Buffer[] {
  return cookieKeys.map((k) => createHmac('sha256', k).update('hawiya oidc_payloads id').digest());
}

/** The row id stored for a model's id: HMAC-SHA-256 under the hash key, base64url (43 characters). */
export function storedOidcId(key: Buffer, id: string): string {
  return createHmac('sha256', key).update(id).digest('base64url');
}

// Introspection and revocation never look a token's account up: their token statement reads none along.
const ROUTES_WITHOUT_ACCOUNT = new Set(['introspection', 'revocation']);
function looksAccountUp(request: object | undefined): boolean {
  const route = (request as { oidc?: { route?: unknown } } | undefined)?.oidc?.route;
  return typeof route !== 'string' || !ROUTES_WITHOUT_ACCOUNT.has(route);
}

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
// Written once, when issued at the token endpoint, and never read back before the answer goes out: held
// until the answer is ready and committed with the other writes of that answer (one commit; see
// recordDisclosures, which holds them). Within an answer whose writes are all held (holdingAnswerWrites:
// authorization answers, consent), every upsert and destroy is held.
const HELD = new Set(['AccessToken', 'RefreshToken']);
// Models that, once found in a request, are saved again by that request only where they still are: a
// sign-out (Session) or a withdrawn consent (Grant) that lands in between must not be undone by an upsert.
const SAVED_WHERE_FOUND = new Set(['Session', 'Grant']);
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
  /** from oidcIdKeys(COOKIE_KEYS): the first one keys new rows, all are tried on lookup */
  idKeys: readonly Buffer[];
  /** the error a losing parallel use gets (oidc-provider's InvalidGrant; passed in so that importing this
   * module, as the CLI does, does not load oidc-provider) */
  alreadyConsumed: (what: string) => Error;
  /** when given, client metadata is kept in memory while this says no client changed */
  clientsFreshness?: ClientsFreshness;
  /** the request being served (oidc-provider's async context): a token's grant is read along with it */
  currentRequest?: () => object | undefined;
  /** where a token's account and person, read along with it, are kept for findAccount (readAlong.ts) */
  accountsAlong?: ReadAlong<AccountWithPerson>;
}) {
  const { db, clock } = deps;
  const sql = createPreparedStatements(db);

  const [writeKey] = deps.idKeys;
  if (!writeKey) throw new Error('createKnexAdapterFactory needs at least one id key');
  // `id = ?`, or `id in (?, ?)` while older COOKIE_KEYS still find rows: one SQL text per model, prepared once.
  const hashedIdIn =
    deps.idKeys.length === 1 ? '"id" = ?' : `"id" in (${deps.idKeys.map(() => '?').join(', ')})`;
  const currentRequest = deps.currentRequest ?? (() => undefined);
  const grantsAlong = createReadAlong<PayloadRow>(currentRequest);
  // per request, `${model} ${id}` of the SAVED_WHERE_FOUND rows it found (saved again only where they still are)
  const foundInRequest = new WeakMap<object, Set<string>>();
  const ROW = '"payload", "expires_at", "consumed_at"';
  const COLUMNS = '"type", "id", "payload", "grant_id", "user_code", "uid", "account_id", "expires_at"';
  const ON_CONFLICT = `on conflict ("type", "id") do update set "payload" = excluded."payload",
    "grant_id" = excluded."grant_id", "user_code" = excluded."user_code", "uid" = excluded."uid",
    "account_id" = excluded."account_id", "expires_at" = excluded."expires_at"`;
  const UPSERT = `insert into "oidc_payloads" (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?) ${ON_CONFLICT}`;
  // A held token (see HELD) is stored only while its grant is: a replay that revoked the family (grant
  // deleted) between the token's issue and its commit leaves no live token behind. (The token endpoint
  // has found the grant before it issues; elsewhere a token is stored as it is.)
  const UPSERT_WHILE_GRANTED = `insert into "oidc_payloads" (${COLUMNS})
    select ?, ?, ?, ?, ?, ?, ?, cast(? as bigint) where cast(? as text) is null
    or exists (select 1 from "oidc_payloads" where "type" = 'Grant' and "id" = ?) ${ON_CONFLICT}`;

  type Row = Record<string, unknown>;
  const ACCOUNT_JOINS = `left join "accounts" a on a."id" = t."account_id"
          left join "registry_persons" p on p."national_id" = a."national_id"`;
  const rowIdsOf = (id: string) => deps.idKeys.map((k) => storedOidcId(k, id));
  // oidc-provider looks a presented token up as several models at once (introspection and revocation:
  // AccessToken, ClientCredentials and RefreshToken in parallel). The value has the same row id under
  // each, so the lookups of one value started together are answered by one statement.
  const findsTogether = new Map<string, { types: Set<string>; rows: Promise<Map<string, Row>> }>();
  function findHashed(type: string, id: string): Promise<Row | undefined> {
    let batch = findsTogether.get(id);
    if (!batch) {
      const types = new Set<string>();
      const withAccount = deps.accountsAlong !== undefined && looksAccountUp(currentRequest());
      const rows = new Promise<void>((resolve) => process.nextTick(resolve)).then(async () => {
        findsTogether.delete(id);
        const list = [...types];
        const found = await sql.all(
          `select t."type", t."payload", t."expires_at", t."consumed_at", t."grant_id" as "g_id",
            g."payload" as "g_payload", g."expires_at" as "g_expires_at", g."consumed_at" as "g_consumed_at"
            ${withAccount ? `, ${ACCOUNT_WITH_PERSON_COLUMNS}` : ''}
          from "oidc_payloads" t left join "oidc_payloads" g on g."type" = 'Grant' and g."id" = t."grant_id"
          ${withAccount ? ACCOUNT_JOINS : ''}
          where ${list.length === 1 ? 't."type" = ?' : `t."type" in (${list.map(() => '?').join(', ')})`} and t.${hashedIdIn}`,
          [...list, ...rowIdsOf(id)],
        );
        for (const r of found) {
          if (withAccount && typeof r.account_id === 'string')
            deps.accountsAlong?.keep(r.account_id, accountWithPersonOf(r));
          if (typeof r.g_id !== 'string') continue;
          grantsAlong.keep(
            r.g_id,
            r.g_payload === null || r.g_payload === undefined
              ? null
              : { payload: r.g_payload, expires_at: r.g_expires_at, consumed_at: r.g_consumed_at },
          );
        }
        return new Map(found.map((r) => [String(r.type), r]));
      });
      batch = { types, rows };
      findsTogether.set(id, batch);
    }
    batch.types.add(type);
    return batch.rows.then((rows) => rows.get(type));
  }

  class KnexAdapter implements Adapter {
    private readonly hashed: boolean;
    private readonly idIn: string;
    constructor(readonly name: string) {
      this.hashed = HASHED_ID_MODELS.has(name);
      this.idIn = this.hashed ? hashedIdIn : '"id" = ?';
    }

    /** The row ids this id may be stored under: the current key's first. */
    private rowIds(id: string): string[] {
      return this.hashed ? rowIdsOf(id) : [id];
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const [rowId = id, ...older] = this.rowIds(id);
      const stored: AdapterPayload = { ...payload };
      if (this.hashed) delete stored.jti;
      if (this.name === 'Interaction' && stored.session) {
        // oidc-provider copies the session cookie value here and never reads it back.
        const { cookie: _cookie, ...session } = stored.session as Record<string, unknown>;
        stored.session = session as AdapterPayload['session'];
      }
      const held = (HELD.has(this.name) && sql.holding()) || answerWritesHeld();
      const write = held ? sql.runHeld : sql.run;
      const request = currentRequest();
      if (request && foundInRequest.get(request)?.has(`${this.name} ${id}`)) {
        // found in this request: updated where it still is (under any key, moved to the current one)
        const update = `update "oidc_payloads" set "id" = ?, "payload" = ?, "account_id" = ?, "expires_at" = ?
          where "type" = ? and ${this.idIn}`;
        const values = [
          rowId,
          JSON.stringify(stored),
          payload.accountId ?? null,
          expiresIn ? clock.now() + expiresIn * 1000 : null,
          this.name,
          ...this.rowIds(id),
        ];
        // A grant withdrawn meanwhile fails the answer that depends on it (a consent would otherwise be
        // audited as granted with its grant gone); a session ended meanwhile simply stays ended.
        const mustChange = this.name === 'Grant';
        if (held) await sql.runHeld(update, values, { mustChange });
        else checkedChanges({ sql: update, mustChange }, await sql.run(update, values));
        return;
      }
      // A row written under an older hash key (before COOKIE_KEYS rotated) moves to the current one.
      for (const old of older)
        await write('delete from "oidc_payloads" where "type" = ? and "id" = ?', [this.name, old]);
      const grantId = GRANTABLE.has(this.name) ? (payload.grantId ?? null) : null;
      const row = [
        this.name,
        rowId,
        JSON.stringify(stored),
        grantId,
        payload.userCode ?? null,
        payload.uid ?? null,
        WITH_ACCOUNT.has(this.name) ? (payload.accountId ?? null) : null,
        expiresIn ? clock.now() + expiresIn * 1000 : null,
      ];
      await (held && HELD.has(this.name)
        ? write(UPSERT_WHILE_GRANTED, [...row, grantId, grantId])
        : write(UPSERT, row));
    }

    private payloadOf(row: Record<string, unknown> | undefined): AdapterPayload | undefined {
      if (!row) return undefined;
      if (row.expires_at !== null && Number(row.expires_at) <= clock.now()) return undefined;
      const payload = JSON.parse(row.payload as string) as AdapterPayload;
      return row.consumed_at !== null && row.consumed_at !== undefined
        ? { ...payload, consumed: Math.floor(Number(row.consumed_at) / 1000) }
        : payload;
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      // No stored id has a control character; PostgreSQL would answer a NUL with an error, not "no row".
      if (!this.hashed && hasControlChars(id)) return undefined;
      if (this.name === 'Grant') {
        const along = grantsAlong.take(id);
        if (along !== undefined) return this.foundNow(id, this.payloadOf(along ?? undefined));
      }
      const row = this.hashed
        ? await findHashed(this.name, id)
        : await sql.get(`select ${ROW} from "oidc_payloads" where "type" = ? and "id" = ?`, [this.name, id]);
      const payload = this.foundNow(id, this.payloadOf(row));
      // The id the caller presented is the jti: put it back, since it is not stored.
      return payload && this.hashed ? { ...payload, jti: id } : payload;
    }

    /** Notes a SAVED_WHERE_FOUND row found in the current request (see upsert); returns the payload. */
    private foundNow(id: string, payload: AdapterPayload | undefined): AdapterPayload | undefined {
      const request = payload && SAVED_WHERE_FOUND.has(this.name) ? currentRequest() : undefined;
      if (request)
        foundInRequest.set(request, (foundInRequest.get(request) ?? new Set()).add(`${this.name} ${id}`));
      return payload;
    }

    /** Device flow only (disabled); the user code is stored as given. */
    async findByUserCode(userCode: string) {
      if (hasControlChars(userCode)) return undefined;
      return this.payloadOf(
        await sql.get(`select ${ROW} from "oidc_payloads" where "type" = ? and "user_code" = ?`, [
          this.name,
          userCode,
        ]),
      );
    }

    /**
     * Sessions by their uid (not a secret): the payload comes back without its jti, which is not stored.
     * oidc-provider only reads such a session (interaction details, session-bound tokens), never saves it.
     */
    async findByUid(uid: string) {
      if (hasControlChars(uid)) return undefined;
      return this.payloadOf(
        await sql.get(`select ${ROW} from "oidc_payloads" where "type" = ? and "uid" = ?`, [this.name, uid]),
      );
    }

    /**
     * Only the first of two parallel uses wins: oidc-provider checks `consumed` before calling this, so
     * the losing request (a replayed code or refresh token) must fail here, and its family is revoked.
     */
    async consume(id: string): Promise<void> {
      const ids = this.rowIds(id);
      const won = await sql.run(
        `update "oidc_payloads" set "consumed_at" = ? where "type" = ? and ${this.idIn} and "consumed_at" is null`,
        [clock.now(), this.name, ...ids],
      );
      if (won === 1) return;
      const row = await sql.get<{ grant_id: string | null }>(
        `select "grant_id" from "oidc_payloads" where "type" = ? and ${this.idIn}`,
        [this.name, ...ids],
      );
      if (row?.grant_id) {
        await sql.run('delete from "oidc_payloads" where "grant_id" = ?', [row.grant_id]);
        await sql.run('delete from "oidc_payloads" where "type" = ? and "id" = ?', ['Grant', row.grant_id]);
      }
      throw deps.alreadyConsumed(`${this.name} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      const write = answerWritesHeld() ? sql.runHeld : sql.run;
      await write(`delete from "oidc_payloads" where "type" = ? and ${this.idIn}`, [
        this.name,
        ...this.rowIds(id),
      ]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await sql.run('delete from "oidc_payloads" where "grant_id" = ?', [grantId]);
    }
  }

  const findClient = cachedClients(async (id) => {
    const row = await sql.get<{ metadata: string }>(
      'select "metadata" from "oidc_clients" where "client_id" = ?',
      [id],
    );
    return row ? (JSON.parse(row.metadata) as AdapterPayload) : undefined;
  }, deps.clientsFreshness);

  // Clients live in their own table, managed by the admin CLI; the provider only reads them.
  class ClientAdapter extends KnexAdapter {
    override async find(id: string): Promise<AdapterPayload | undefined> {
      // A client_id with a NUL (from a query, a form or Basic credentials) is simply unknown.
      if (hasControlChars(id)) return undefined;
      return findClient(id);
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

/**
 * Deletes one session of an account and the codes and tokens bound to it (their `sessionUid`): "sign out"
 * of one device. Tokens not bound to a session (offline access) stay; "sign out everywhere" ends those.
 */
export async function revokeSessionArtifacts(
  db: Knex,
  accountId: string,
  sessionUid: string,
): Promise<number> {
  let n = await db('oidc_payloads')
    .where({ type: 'Session', account_id: accountId, uid: sessionUid })
    .delete();
  const bound = await db('oidc_payloads')
    .where({ account_id: accountId })
    .whereIn('type', ['AuthorizationCode', 'AccessToken', 'RefreshToken'])
    .select('type', 'id', 'payload');
  for (const row of bound) {
    let payload: { sessionUid?: string; expiresWithSession?: boolean } = {};
    try {
      payload = JSON.parse(String(row.payload));
    } catch {
      continue;
    }
    if (payload.sessionUid === sessionUid && payload.expiresWithSession !== false)
      n += await db('oidc_payloads').where({ type: row.type, id: row.id }).delete();
  }
  return n;
}
