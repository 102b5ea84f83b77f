import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../shared/clock.js';

/** What a service keeps about a signed-in citizen: only claims Hawiya released, never a password. */
export interface RpSession {
  /** CSRF token of this session's forms */
  csrf: string;
  /** the ID token, kept as id_token_hint for RP-initiated logout */
  idToken: string;
  sub: string;
  /** Hawiya's session id (the ID token's sid claim), matched by back-channel logout */
  sid: string | undefined;
  nameAr: string;
  nameEn: string;
  nationalId: string | undefined;
  /** the token for the service's own API (its pages call it as any client would), and how to renew it */
  api?: ApiTokens;
}

export interface ApiTokens {
  accessToken: string;
  /** epoch milliseconds */
  expiresAt: number;
  refreshToken?: string;
  /** tokens for other services' APIs of the same grant, by resource indicator */
  others?: Record<string, { accessToken: string; expiresAt: number }>;
}

export interface RpSessions {
  /** starts a session under a fresh random id (never one the browser chose) */
  create(data: Omit<RpSession, 'csrf'>): Promise<{ id: string; session: RpSession }>;
  /** the live session under that cookie value, or undefined; a hit counts as activity */
  get(id: string | undefined): Promise<RpSession | undefined>;
  destroy(id: string): Promise<void>;
  /** replaces the session's API tokens (after a refresh) */
  saveApiTokens(id: string, api: ApiTokens): Promise<void>;
  /** the session's API tokens as stored now (another request or process may have renewed them) */
  readApiTokens(id: string): Promise<ApiTokens | undefined>;
  /**
   * Claims the session's renewal for `leaseMs` (one conditional update): true for one caller at a time,
   * across processes, until released or the lease runs out (a process that died mid-renewal).
   */
  claimRenewal(id: string, leaseMs: number): Promise<boolean>;
  releaseRenewal(id: string): Promise<void>;
  /** ends every session of a Hawiya session (sid) or, without sid, of a subject; returns how many */
  endByLogout(target: { sid?: string; sub?: string }): Promise<number>;
  /** live sessions of this service */
  count(): Promise<number>;
  purgeExpired(): Promise<number>;
}

type Stored = Pick<RpSession, 'csrf' | 'idToken' | 'nameAr' | 'nameEn' | 'nationalId'> & {
  /** the API tokens, sealed under a key only the cookie value gives */
  sealed?: string;
};

const TABLE = 'service_sessions';

/** Only the hash of the cookie value is stored: a copy of the table gives no live cookie. */
function idOf(cookieValue: string): string {
  return createHash('sha256').update(cookieValue).digest('base64url');
}

// The tokens are sealed (AES-256-GCM) under a key derived from the cookie value, which is stored only as a
// hash: a copy of the table holds no usable access or refresh token.
function keyOf(cookieValue: string): Buffer {
  return Buffer.from(hkdfSync('sha256', cookieValue, '', 'hawiya service session tokens', 32));
}

function seal(cookieValue: string, api: ApiTokens): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(cookieValue), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(api), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function unseal(cookieValue: string, sealed: string | undefined): ApiTokens | undefined {
  if (!sealed) return undefined;
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(cookieValue), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A service's sessions in the database (table service_sessions), so that a restart signs nobody out and
 * several processes of one service share them. Idle and absolute timeouts; beyond `maxSessions` the least
 * recently used are ended.
 */
export function createRpSessions(opts: {
  db: Knex;
  clock: Clock;
  /** the service's client id: services sharing a database never see each other's sessions */
  service: string;
  /** the least recently used sessions are ended beyond this (10,000) */
  maxSessions?: number;
  /** inactivity timeout, milliseconds (1 hour) */
  idleMs?: number;
  /** absolute lifetime, milliseconds (24 hours) */
  maxAgeMs?: number;
}): RpSessions {
  const { db, clock, service } = opts;
  const maxSessions = opts.maxSessions ?? 10_000;
  const idleMs = opts.idleMs ?? 3600_000;
  const maxAgeMs = opts.maxAgeMs ?? 86_400_000;
  const expiry = (createdAt: number, now: number) => Math.min(now + idleMs, createdAt + maxAgeMs);
  const live = () => db(TABLE).where({ service }).where('expires_at', '>', clock.now());

  async function evictBeyondCap(): Promise<void> {
    const [row] = await live().count({ n: '*' });
    const excess = Number(row?.n ?? 0) - maxSessions;
    if (excess <= 0) return;
    const oldest = await live().orderBy('last_seen_at', 'asc').limit(excess).select('id');
    await db(TABLE)
      .whereIn(
        'id',
        oldest.map((r: { id: string }) => r.id),
      )
      .delete();
  }

  return {
    async create(data) {
      const id = randomBytes(32).toString('base64url');
      const session: RpSession = { ...data, csrf: randomBytes(32).toString('base64url') };
      const stored: Stored = {
        csrf: session.csrf,
        idToken: session.idToken,
        nameAr: session.nameAr,
        nameEn: session.nameEn,
        nationalId: session.nationalId,
        ...(session.api ? { sealed: seal(id, session.api) } : {}),
      };
      const now = clock.now();
      await db(TABLE).insert({
        id: idOf(id),
        service,
        sub: session.sub,
        sid: session.sid ?? null,
        data: JSON.stringify(stored),
        created_at: now,
        last_seen_at: now,
        expires_at: expiry(now, now),
      });
      await evictBeyondCap();
      return { id, session };
    },
    async get(id) {
      if (!id || id.length > 100) return undefined;
      const row = await db(TABLE)
        .where({ id: idOf(id), service })
        .first();
      if (!row) return undefined;
      const now = clock.now();
      if (Number(row.expires_at) <= now) {
        await db(TABLE).where({ id: row.id }).delete();
        return undefined;
      }
      await db(TABLE)
        .where({ id: row.id })
        .update({ last_seen_at: now, expires_at: expiry(Number(row.created_at), now) });
      const { sealed, ...stored } = JSON.parse(row.data) as Stored;
      const api = unseal(id, sealed);
      return { ...stored, sub: row.sub, sid: row.sid ?? undefined, ...(api ? { api } : {}) };
    },
    async destroy(id) {
      if (id.length > 100) return;
      await db(TABLE)
        .where({ id: idOf(id), service })
        .delete();
    },
    async saveApiTokens(id, api) {
      const row = await db(TABLE)
        .where({ id: idOf(id), service })
        .first();
      if (!row) return;
      const stored = JSON.parse(row.data) as Stored;
      await db(TABLE)
        .where({ id: row.id })
        .update({ data: JSON.stringify({ ...stored, sealed: seal(id, api) }) });
    },
    async readApiTokens(id) {
      if (id.length > 100) return undefined;
      const row = await db(TABLE)
        .where({ id: idOf(id), service })
        .first('data');
      return row ? unseal(id, (JSON.parse(row.data) as Stored).sealed) : undefined;
    },
    async claimRenewal(id, leaseMs) {
      const now = clock.now();
      const n = await db(TABLE)
        .where({ id: idOf(id), service })
        .where((q) => q.whereNull('renewing_until').orWhere('renewing_until', '<=', now))
        .update({ renewing_until: now + leaseMs });
      return n === 1;
    },
    async releaseRenewal(id) {
      await db(TABLE)
        .where({ id: idOf(id), service })
        .update({ renewing_until: null });
    },
    async endByLogout({ sid, sub }) {
      if (sid)
        return db(TABLE)
          .where({ service, sid, ...(sub === undefined ? {} : { sub }) })
          .delete();
      if (sub) return db(TABLE).where({ service, sub }).delete();
      return 0;
    },
    async count() {
      const [row] = await live().count({ n: '*' });
      return Number(row?.n ?? 0);
    },
    async purgeExpired() {
      return db(TABLE).where({ service }).where('expires_at', '<=', clock.now()).delete();
    },
  };
}
