import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AdapterPayload } from 'oidc-provider';
import { HASHED_ID_MODELS, storedOidcId } from '../../src/oidc/knexAdapter.js';

// The least a Redis store for the short-lived models and counters would have to do, written for the
// comparison only (the product has no Redis): the same operations as src/oidc/knexAdapter.ts,
// src/throttle and src/otp, with the same guarantees that matter to them (ids of secret models stored as
// keyed hashes, a consume that exactly one of two parallel uses wins, an atomic counter in a window).
// Layout after oidc-provider's own Redis adapter example: one hash per model instance, a set per grant.

/** One model's adapter, as oidc-provider calls it. */
export interface StoreAdapter {
  upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
  find(id: string): Promise<AdapterPayload | undefined>;
  /** throws when another use consumed it first */
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
}

// INCR then, on the window's first hit, its expiry: one round trip, atomic.
const HIT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {c, redis.call('PTTL', KEYS[1])}`;
// Counts a try only while the code is open and has tries left (otpRepo.countAttempt).
const ATTEMPT = `if redis.call('HEXISTS', KEYS[1], 'consumed_at') == 1 then return 0 end
local a = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '-1')
local m = tonumber(redis.call('HGET', KEYS[1], 'max_attempts') or '0')
if a < 0 or a >= m then return 0 end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return 1`;

export function createRedisStore(redis: Redis, opts: { prefix: string; idKey: Buffer }) {
  const { prefix } = opts;
  return {
    adapter(name: string): StoreAdapter {
      const hashed = HASHED_ID_MODELS.has(name);
      const key = (id: string) => `${prefix}${name}:${hashed ? storedOidcId(opts.idKey, id) : id}`;
      return {
        async upsert(id, payload, expiresIn) {
          const stored = { ...payload };
          if (hashed) delete stored.jti;
          const k = key(id);
          const tx = redis.multi().hset(k, 'payload', JSON.stringify(stored)).expire(k, expiresIn);
          if (payload.grantId) {
            const g = `${prefix}grant:${payload.grantId}`;
            tx.sadd(g, k).expire(g, expiresIn, 'GT');
          }
          await tx.exec();
        },
        async find(id) {
          const [payload, consumed] = await redis.hmget(key(id), 'payload', 'consumed');
          if (!payload) return undefined;
          const p = JSON.parse(payload) as AdapterPayload;
          const withId = hashed ? { ...p, jti: id } : p;
          return consumed ? { ...withId, consumed: Number(consumed) } : withId;
        },
        async consume(id) {
          const won = await redis.hsetnx(key(id), 'consumed', Math.floor(Date.now() / 1000));
          if (won !== 1) throw new Error(`${name} already consumed`);
        },
        async destroy(id) {
          await redis.del(key(id));
        },
      };
    },

    /** throttleRepo.hit: one more attempt in the key's window. */
    async hit(key: string, windowMs: number): Promise<{ count: number; expiresAt: number }> {
      const [count, ttl] = (await redis.eval(HIT, 1, `${prefix}throttle:${key}`, windowMs)) as [
        number,
        number,
      ];
      return { count, expiresAt: Date.now() + ttl };
    },

    otp: {
      async insert(rec: { binding: string; codeHash: string; maxAttempts: number; ttlMs: number }) {
        const id = randomUUID();
        const k = `${prefix}otp:${id}`;
        await redis
          .multi()
          .hset(k, {
            binding: rec.binding,
            code_hash: rec.codeHash,
            attempts: 0,
            max_attempts: rec.maxAttempts,
          })
          .pexpire(k, rec.ttlMs)
          .exec();
        return id;
      },
      async countAttempt(id: string): Promise<boolean> {
        return (await redis.eval(ATTEMPT, 1, `${prefix}otp:${id}`)) === 1;
      },
      async consume(id: string): Promise<boolean> {
        return (await redis.hsetnx(`${prefix}otp:${id}`, 'consumed_at', Date.now())) === 1;
      },
    },

    /** Removes every key of this run. */
    async clear(): Promise<void> {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    },
  };
}

export type RedisStore = ReturnType<typeof createRedisStore>;
