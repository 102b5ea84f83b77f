import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secretBox.js';

describe('secretBox', () => {
  it('seals with the key, bound to the account: another account or key cannot open it', () => {
    const key = randomBytes(32).toString('base64url');
    const box = createSecretBox(key);
    const sealed = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'acct-1');
    expect(sealed).not.toContain('JBSWY3DP');
    expect(box.open(sealed, 'acct-1')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'acct-2')).toThrow();
    expect(() => createSecretBox(randomBytes(32).toString('base64url')).open(sealed, 'acct-1')).toThrow();
    expect(() => createSecretBox(undefined).open(sealed, 'acct-1')).toThrow();
  });

  it('without a key (development) stores the secret marked as plain', () => {
    const box = createSecretBox(undefined);
    expect(box.open(box.seal('ABC', 'a'), 'a')).toBe('ABC');
  });
});
