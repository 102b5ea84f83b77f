import type { Clock } from '../../shared/clock.js';

export interface MemoryStore<T> {
  /** stores a value under a key, evicting the least recently used entry when full */
  set(key: string, value: T): void;
  /** the value, or undefined when absent or expired; a hit counts as activity */
  get(key: string): T | undefined;
  /** removes and returns the value (single use: login transactions) */
  take(key: string): T | undefined;
  delete(key: string): boolean;
  /** removes every live entry the predicate selects; returns how many */
  deleteWhere(predicate: (value: T) => boolean): number;
  readonly size: number;
}

interface Entry<T> {
  value: T;
  createdAt: number;
  lastSeenAt: number;
}

/**
 * A bounded in-process store with idle and absolute expiry. A Map keeps insertion order, so re-inserting
 * on every hit makes its first key the least recently used one: that is the entry evicted when full.
 */
export function createMemoryStore<T>(opts: {
  clock: Clock;
  maxEntries: number;
  /** inactivity timeout, milliseconds */
  idleMs: number;
  /** absolute lifetime, milliseconds (no limit when omitted) */
  maxAgeMs?: number;
}): MemoryStore<T> {
  const entries = new Map<string, Entry<T>>();

  const expired = (e: Entry<T>, now: number) =>
    now - e.lastSeenAt > opts.idleMs || (opts.maxAgeMs !== undefined && now - e.createdAt > opts.maxAgeMs);

  function live(key: string): Entry<T> | undefined {
    const e = entries.get(key);
    if (!e) return undefined;
    if (expired(e, opts.clock.now())) {
      entries.delete(key);
      return undefined;
    }
    return e;
  }

  return {
    set(key, value) {
      const now = opts.clock.now();
      entries.delete(key);
      while (entries.size >= opts.maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
      entries.set(key, { value, createdAt: now, lastSeenAt: now });
    },
    get(key) {
      const e = live(key);
      if (!e) return undefined;
      e.lastSeenAt = opts.clock.now();
      entries.delete(key);
      entries.set(key, e);
      return e.value;
    },
    take(key) {
      const e = live(key);
      entries.delete(key);
      return e?.value;
    },
    delete(key) {
      return entries.delete(key);
    },
    deleteWhere(predicate) {
      const now = opts.clock.now();
      let n = 0;
      for (const [key, e] of entries) {
        if (expired(e, now)) entries.delete(key);
        else if (predicate(e.value)) {
          entries.delete(key);
          n++;
        }
      }
      return n;
    },
    get size() {
      return entries.size;
    },
  };
}
