import { describe, expect, it } from 'vitest';
import { hashClientSecret, isHashedClientSecret, verifyClientSecret } from './clientSecrets.js';

describe('client secrets at rest', () => {
  it('are stored salted and hashed, and verify only with the right secret', () => {
    const secret = 'kT3v0s8yA1Fq2bWcXzN5mP7hR9jL4dGe6uQwEoIa0Ss';
    const a = hashClientSecret(secret);
    const b = hashClientSecret(secret);
    expect(isHashedClientSecret(a)).toBe(true);
    expect(a).not.toContain(secret);
    expect(a).not.toBe(b); // a salt per secret
    expect(verifyClientSecret(a, secret)).toBe(true);
    expect(verifyClientSecret(a, `${secret}x`)).toBe(false);
    expect(verifyClientSecret(a, '')).toBe(false);
  });

  it('a plain stored value never verifies', () => {
    expect(verifyClientSecret('plain-secret', 'plain-secret')).toBe(false);
    expect(verifyClientSecret(undefined, 'x')).toBe(false);
  });
});
