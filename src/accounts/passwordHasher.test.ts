import * as argon2 from 'argon2';
import { describe, expect, it, vi } from 'vitest';
import { createPasswordHasher } from './passwordHasher.js';

// Spy on argon2's verify to see what burn() really does (timing tests would be flaky on shared machines).
vi.mock('argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('argon2')>();
  return { ...real, verify: vi.fn(real.verify) };
});

const PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
const hasher = createPasswordHasher(PARAMS);

// 100 printable ASCII characters: well past bcrypt's 72-byte cut-off
const LONG = Array.from({ length: 100 }, (_, i) => String.fromCharCode(33 + ((i * 7) % 94))).join('');

describe('passwordHasher', () => {
  it('[checklist 6] stores argon2id with the configured m/t/p and a salt per hash', async () => {
    const a = await hasher.hash('correct horse battery staple');
    const b = await hasher.hash('correct horse battery staple');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(a).not.toContain('correct');
    expect(await hasher.verify(a, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(b, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(a, 'correct horse battery stapler')).toBe(false);
  });

  it('[checklist 2] a 100-character password verifies only in full', async () => {
    expect([...LONG]).toHaveLength(100);
    const stored = await hasher.hash(LONG);
    expect(await hasher.verify(stored, LONG)).toBe(true);
    expect(await hasher.verify(stored, LONG.slice(0, 72))).toBe(false);
    expect(await hasher.verify(stored, LONG.slice(0, 99))).toBe(false);
    expect(await hasher.verify(stored, `${LONG.slice(0, 99)}~`)).toBe(false);
    expect(await hasher.verify(stored, `${LONG} `)).toBe(false);
  });

  it('[checklist 2] case is preserved: changing the case fails', async () => {
    const stored = await hasher.hash('Sunny Riyadh Morning');
    expect(await hasher.verify(stored, 'Sunny Riyadh Morning')).toBe(true);
    expect(await hasher.verify(stored, 'sunny riyadh morning')).toBe(false);
    expect(await hasher.verify(stored, 'SUNNY RIYADH MORNING')).toBe(false);
  });

  it('[checklist 3] NFKC-equivalent forms verify (ligature, full-width digits), spaces are kept', async () => {
    const stored = await hasher.hash('ﬁne ｐａｓｓ ２０２４');
    expect(await hasher.verify(stored, 'fine pass 2024')).toBe(true);
    expect(await hasher.verify(stored, 'ﬁne ｐａｓｓ ２０２４')).toBe(true);
    expect(await hasher.verify(stored, 'finepass2024')).toBe(false);
    expect(await hasher.verify(stored, ' fine pass 2024')).toBe(false);

    // composed vs decomposed Arabic and Latin letters are the same password
    const arabic = await hasher.hash('كلمة سر طويلة جدا café');
    expect(await hasher.verify(arabic, 'كلمة سر طويلة جدا cafe\u0301')).toBe(true);
  });

  it('never throws on a malformed stored hash', async () => {
    for (const bad of [
      '',
      'not-a-hash',
      '$argon2id$v=19$m=19456,t=2,p=1$short',
      '$2b$10$abcdefghijklmnopqrstuv',
    ]) {
      await expect(hasher.verify(bad, 'whatever password')).resolves.toBe(false);
      // only asked after a successful verify, which a malformed hash never gives: it just must not throw
      expect(() => hasher.needsRehash(bad)).not.toThrow();
    }
    expect(hasher.needsRehash('not-a-hash')).toBe(true);
  });

  it('needsRehash is false for current parameters, true for lower ones or another variant', async () => {
    const current = await hasher.hash('a long enough password');
    expect(hasher.needsRehash(current)).toBe(false);

    const weak = createPasswordHasher({ memoryCost: 8192, timeCost: 1, parallelism: 1 });
    const old = await weak.hash('a long enough password');
    expect(hasher.needsRehash(old)).toBe(true);
    expect(weak.needsRehash(old)).toBe(false);
    // a hash made with older parameters still verifies, so it can be upgraded at the next login
    expect(await hasher.verify(old, 'a long enough password')).toBe(true);

    expect(hasher.needsRehash(current.replace('$argon2id$', '$argon2i$'))).toBe(true);
    expect(createPasswordHasher({ ...PARAMS, timeCost: 3 }).needsRehash(current)).toBe(true);
    expect(createPasswordHasher({ ...PARAMS, parallelism: 2 }).needsRehash(current)).toBe(true);
  });

  it('[checklist 8] burn runs a full argon2id verify with the current parameters, as a real login does', async () => {
    const spy = vi.mocked(argon2.verify);
    spy.mockClear();
    await expect(hasher.burn('a long enough password')).resolves.toBeUndefined();
    expect(spy).toHaveBeenCalledTimes(1);
    const [dummy, password] = spy.mock.calls[0] as [string, string];
    expect(dummy).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(password).toBe('a long enough password');
  });
});
