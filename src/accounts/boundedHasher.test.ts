import { describe, expect, it } from 'vitest';
import { boundedHasher } from './boundedHasher.js';
import type { PasswordHasher } from './passwordHasher.js';

/** A hasher whose runs end only when the test says so, counting how many run at once. */
function heldHasher() {
  let running = 0;
  let most = 0;
  const release: (() => void)[] = [];
  const held = async <T>(value: T): Promise<T> => {
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => release.push(resolve));
    running--;
    return value;
  };
  const hasher: PasswordHasher = {
    hash: (password) => held(`hash:${password}`),
    verify: (hash, password) => held(hash === `hash:${password}`),
    needsRehash: () => false,
    burn: async () => {
      await held(undefined);
    },
  };
  const releaseAll = () => {
    for (const r of release.splice(0)) r();
  };
  return { hasher, most: () => most, releaseAll };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('boundedHasher', () => {
  it('runs at most `concurrency` argon2 operations at once and finishes every one, results unchanged', async () => {
    const held = heldHasher();
    const hasher = boundedHasher(held.hasher, 2);
    const all = Promise.all([
      hasher.hash('a'),
      hasher.verify('hash:b', 'b'),
      hasher.verify('hash:c', 'x'),
      hasher.burn('d'),
      hasher.hash('e'),
    ]);
    for (let i = 0; i < 10; i++) {
      await tick();
      held.releaseAll();
    }
    expect(await all).toEqual(['hash:a', true, false, undefined, 'hash:e']);
    expect(held.most()).toBe(2);
  });

  it('passes a failure through and frees its place', async () => {
    const failing: PasswordHasher = {
      hash: async () => {
        throw new Error('boom');
      },
      verify: async () => true,
      needsRehash: () => true,
      burn: async () => {},
    };
    const hasher = boundedHasher(failing, 1);
    await expect(hasher.hash('a')).rejects.toThrow('boom');
    expect(await hasher.verify('h', 'p')).toBe(true);
    expect(hasher.needsRehash('h')).toBe(true);
  });
});
