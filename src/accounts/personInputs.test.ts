import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../shared/errors.js';
import { checkedEmail } from './personInputs.js';

describe('checkedEmail', () => {
  it('accepts an ordinary address, trimmed, and no address at all', () => {
    expect(checkedEmail('  noura@example.com ')).toBe('noura@example.com');
    expect(checkedEmail('')).toBeNull();
    expect(checkedEmail(undefined)).toBeNull();
  });

  it.each([
    'noura\u0000@example.com',
    'noura@exa\u0007mple.com',
    'noura@example.c\u007fom',
    'no@ura@x.com',
    'noura',
  ])(
    '[checklist 44] refuses %j on the e-mail field (review item 7: control characters never reach delivery)',
    (bad) => {
      expect(() => checkedEmail(bad)).toThrow(InvalidInput);
      try {
        checkedEmail(bad);
      } catch (err) {
        expect((err as InvalidInput).code).toBe('email_invalid');
      }
    },
  );
});
