// Each argon2id run holds its whole memory cost (ARGON2_MEMORY_KIB, 19 MiB by default) until it ends, and
// the runs are pure CPU: more of them at once than there are cores finishes none sooner, but holds more
// memory (up to libuv's 4 threads, 76 MiB) and keeps the thread pool from file and DNS work.
import type { PasswordHasher } from './passwordHasher.js';

/** `hasher` with at most `concurrency` argon2id runs at a time; the rest wait their turn, first come first served. */
export function boundedHasher(hasher: PasswordHasher, concurrency: number): PasswordHasher {
  let running = 0;
  const waiting: (() => void)[] = [];

  async function bounded<T>(run: () => Promise<T>): Promise<T> {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await run();
    } finally {
      // The slot passes straight to the next in line, so `running` never drops and rises again in between.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }

  return {
    hash: (password) => bounded(() => hasher.hash(password)),
    verify: (hash, password) => bounded(() => hasher.verify(hash, password)),
    needsRehash: (hash) => hasher.needsRehash(hash),
    burn: (password) => bounded(() => hasher.burn(password)),
  };
}
