import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';
import { TooManyAttempts } from '../shared/errors.js';
import { createThrottleRepo } from './throttleRepo.js';

export interface Limit {
  /** attempts allowed in one window */
  limit: number;
  windowSeconds: number;
}

export interface Throttle {
  /** Counts one attempt under `key`; throws TooManyAttempts once the limit is passed. */
  consume(key: string, limit: Limit): Promise<number>;
  /** The count so far, without adding to it. */
  count(key: string): Promise<number>;
  /** The open window of `key` (count and end, epoch ms), if any. */
  peek(key: string): Promise<{ count: number; expiresAt: number } | undefined>;
  reset(key: string): Promise<void>;
  purgeExpired(): Promise<number>;
  /**
   * Runs `work` while holding `key`, one at a time across workers and nodes; a second caller meanwhile
   * gets TooManyAttempts. Parallel guesses then meet the lock-out one by one instead of all at once.
   * The hold ends after `work`, or inside the work's own last transaction (`hold.release(trx)`).
   */
  exclusive<T>(key: string, work: (hold: Hold) => Promise<T>, counted?: Counted): Promise<T>;
}

/**
 * One more attempt counted under `key` in the same commit as `exclusive` takes its hold (the requester's
 * count before the account's hold): past `limit` no hold is taken and CountPassed is thrown.
 */
export interface Counted {
  key: string;
  limit: Limit;
}

/** The count given to `exclusive` was passed (not the hold refused): its requester waits. */
export class CountPassed extends TooManyAttempts {}

/** A key held by `exclusive`. */
export interface Hold {
  /**
   * Ends the hold inside the caller's transaction, so its last writes and the release cost one commit.
   * Should `work` still fail, the hold is ended anyway.
   */
  release(trx: Knex): Promise<void>;
}

/** Keys hold no personal data: the subject part (an ID, an address) is hashed. */
export function throttleKey(action: string, kind: string, subject: string): string {
  const digest = createHash('sha256').update(subject).digest('base64url').slice(0, 32);
  return `${action}:${kind}:${digest}`;
}

export function createThrottle(deps: { db: Knex; clock: Clock }): Throttle {
  const repo = createThrottleRepo(deps.db);
  return {
    async consume(key, { limit, windowSeconds }) {
      const now = deps.clock.now();
      const hit = await repo.hit(key, now, windowSeconds * 1000);
      if (hit.count > limit) {
        throw new TooManyAttempts(Math.max(1, Math.ceil((hit.expiresAt - now) / 1000)));
      }
      return hit.count;
    },
    async count(key) {
      return (await repo.peek(key, deps.clock.now()))?.count ?? 0;
    },
    peek: (key) => repo.peek(key, deps.clock.now()),
    reset: (key) => repo.reset(key),
    purgeExpired: () => repo.purgeExpired(deps.clock.now()),
    async exclusive(key, work, counted) {
      // Real time, not the injectable clock: the hold only has to outlive one request.
      if (!counted) {
        if (!(await repo.tryAcquire(key, Date.now(), 10_000))) throw new TooManyAttempts(1);
      } else {
        const now = deps.clock.now();
        const { hit, held } = await deps.db.transaction(async (trx) => {
          const hit = await repo.hit(counted.key, now, counted.limit.windowSeconds * 1000, trx);
          if (hit.count > counted.limit.limit) return { hit, held: false };
          return { hit, held: await repo.tryAcquire(key, Date.now(), 10_000, trx) };
        });
        if (hit.count > counted.limit.limit)
          throw new CountPassed(Math.max(1, Math.ceil((hit.expiresAt - now) / 1000)));
        if (!held) throw new TooManyAttempts(1);
      }
      let released = false;
      const hold: Hold = {
        async release(trx) {
          await repo.reset(key, trx);
          released = true;
        },
      };
      try {
        const result = await work(hold);
        if (!released) await repo.reset(key);
        return result;
      } catch (err) {
        // released in a transaction that then failed (rolled back), or never: end the hold now
        await repo.reset(key);
        throw err;
      }
    },
  };
}
