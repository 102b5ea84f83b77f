import { randomBytes, randomUUID } from 'node:crypto';
import type { AdapterPayload } from 'oidc-provider';
import type { Db } from '../../src/db/createDb.js';
import { createKnexAdapterFactory } from '../../src/oidc/knexAdapter.js';
import { createOtpRepo } from '../../src/otp/otpRepo.js';
import { systemClock } from '../../src/shared/clock.js';
import { createThrottle, throttleKey } from '../../src/throttle/createThrottle.js';
import type { RedisStore, StoreAdapter } from './redisStore.js';

/**
 * One life of a short-lived object, as requests go through it: the statements (or Redis commands) a login
 * or a token request makes for it, in order. Both stores run the same cycle on the same data.
 */
export interface StoreCycle {
  name: string;
  /** what the cycle does, for the table */
  does: string;
  /** statements (PostgreSQL) or round trips (Redis) per cycle */
  steps: number;
  pg(): Promise<void>;
  redis(): Promise<void>;
}

const id = () => randomBytes(32).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

// Payloads of the sizes oidc-provider writes for a login (a session with one account and one client grant,
// an interaction with its params and result) and a token (claims, scope, resource).
function payloadOf(kind: string, grantId: string): AdapterPayload {
  const base = { iat: now(), exp: now() + 600, kind, accountId: randomUUID() };
  if (kind === 'Session')
    return {
      ...base,
      jti: id(),
      uid: id().slice(0, 21),
      loginTs: now(),
      amr: ['pwd', 'sms'],
      acr: 'urn:hawiya:loa:substantial',
      authorizations: { 'bench-rp': { sid: randomUUID(), grantId, persistsLogout: false } },
    } as AdapterPayload;
  if (kind === 'Interaction')
    return {
      ...base,
      jti: id().slice(0, 21),
      returnTo: `https://id.example/auth/${id().slice(0, 21)}`,
      prompt: { name: 'login', reasons: ['no_session'], details: {} },
      params: {
        client_id: 'bench-rp',
        redirect_uri: 'https://rp.example/cb',
        response_type: 'code',
        scope: 'openid profile national_id',
        code_challenge: id(),
        code_challenge_method: 'S256',
        state: id().slice(0, 11),
        nonce: id().slice(0, 11),
      },
      cid: id().slice(0, 21),
    } as AdapterPayload;
  return {
    ...base,
    jti: id(),
    clientId: 'bench-rp',
    grantId,
    scope: 'openid profile national_id',
    sessionUid: id().slice(0, 21),
    expiresWithSession: true,
    sid: randomUUID(),
    gty: 'authorization_code',
    'x5t#S256': undefined,
  } as AdapterPayload;
}

/** The cycles compared: the oidc-provider models a login and a refresh write, the throttle, the SMS code. */
export function storeCycles(deps: { db: Db; idKeys: Buffer[]; redis: RedisStore }): StoreCycle[] {
  const { db, redis } = deps;
  const factory = createKnexAdapterFactory({
    db,
    clock: systemClock,
    idKeys: deps.idKeys,
    alreadyConsumed: (what) => new Error(what),
  });
  const throttle = createThrottle({ db, clock: systemClock });
  const otpRepo = createOtpRepo(db);
  const models = (name: string): [StoreAdapter, StoreAdapter] => [
    factory(name) as unknown as StoreAdapter,
    redis.adapter(name),
  ];

  // upsert, find, then `end` (consume or destroy) of a new instance; `finds` reads in between.
  function modelCycle(name: string, opts: { finds: number; end: 'consume' | 'destroy'; saves?: number }) {
    const [pgAdapter, redisAdapter] = models(name);
    const run = async (a: StoreAdapter) => {
      const key = name === 'Interaction' ? id().slice(0, 21) : id();
      const payload = payloadOf(name, id().slice(0, 21));
      for (let i = 0; i < (opts.saves ?? 1); i++) await a.upsert(key, payload, 600);
      for (let i = 0; i < opts.finds; i++) if (!(await a.find(key))) throw new Error(`${name} not found`);
      await a[opts.end](key);
    };
    const saves = opts.saves ?? 1;
    return {
      name,
      does: `${saves > 1 ? `${saves}× ` : ''}upsert, ${opts.finds > 1 ? `${opts.finds}× ` : ''}find, ${opts.end}`,
      steps: saves + opts.finds + 1,
      pg: () => run(pgAdapter),
      redis: () => run(redisAdapter),
    };
  }

  // The throttle's hot keys: one per address and one per national ID, a few thousand people at once.
  const throttleKeys = Array.from({ length: 2000 }, (_, i) =>
    throttleKey('login', 'ip', `10.0.${i >> 8}.${i & 255}`),
  );
  const pickKey = () => throttleKeys[Math.floor(Math.random() * throttleKeys.length)] as string;
  const big = { limit: 1_000_000_000, windowSeconds: 600 };

  return [
    // A login: the interaction saved at /auth, read at each form, saved again after the password, ended.
    modelCycle('Interaction', { saves: 2, finds: 3, end: 'destroy' }),
    // The session saved at the end of a login, read by the next authorization request, ended at logout.
    modelCycle('Session', { saves: 2, finds: 1, end: 'destroy' }),
    // The authorization code: stored, looked up at the token endpoint, consumed.
    modelCycle('AuthorizationCode', { finds: 1, end: 'consume' }),
    // An access token: stored, presented at userinfo, revoked.
    modelCycle('AccessToken', { finds: 1, end: 'destroy' }),
    // A refresh token: stored, presented, consumed (rotation).
    modelCycle('RefreshToken', { finds: 1, end: 'consume' }),
    {
      name: 'throttle',
      does: 'one attempt counted in its window',
      steps: 1,
      pg: async () => {
        await throttle.consume(pickKey(), big);
      },
      redis: async () => {
        await redis.hit(pickKey(), big.windowSeconds * 1000);
      },
    },
    {
      name: 'SMS code',
      does: 'insert, one try counted, consume',
      steps: 3,
      pg: async () => {
        const t = Date.now();
        const codeId = randomUUID();
        await otpRepo.insert({
          id: codeId,
          purpose: 'login',
          binding: id().slice(0, 21),
          subject: randomUUID(),
          channel: 'sms',
          codeHash: id(),
          attempts: 0,
          maxAttempts: 5,
          createdAt: t,
          expiresAt: t + 300_000,
          consumedAt: null,
        });
        if (!(await otpRepo.countAttempt(codeId, Date.now()))) throw new Error('code not open');
        if (!(await otpRepo.consume(codeId, Date.now()))) throw new Error('code already used');
      },
      redis: async () => {
        const codeId = await redis.otp.insert({
          binding: id().slice(0, 21),
          codeHash: id(),
          maxAttempts: 5,
          ttlMs: 300_000,
        });
        if (!(await redis.otp.countAttempt(codeId))) throw new Error('code not open');
        if (!(await redis.otp.consume(codeId))) throw new Error('code already used');
      },
    },
  ];
}
