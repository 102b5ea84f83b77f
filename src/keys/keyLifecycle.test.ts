import { describe, expect, it } from 'vitest';
import {
  duePrevious,
  keysNeeded,
  PREVIOUS_KEY_GRACE_MS,
  planRotation,
  publishedAfter,
} from './keyLifecycle.js';
import type { SigningKeyRecord } from './keysRepo.js';

const key = (
  kid: string,
  state: SigningKeyRecord['state'],
  extra: Partial<SigningKeyRecord> = {},
): SigningKeyRecord => ({
  kid,
  alg: 'ES256',
  state,
  createdAt: 1000,
  activatedAt: state === 'current' ? 1000 : null,
  retireAfter: null,
  retiredAt: null,
  ...extra,
});

describe('planRotation', () => {
  const keys = [key('cur', 'current'), key('nxt', 'next'), key('rsa', 'current', { alg: 'RS256' })];

  it('promotes next, keeps the old current published as previous for the grace period, adds a next', () => {
    expect(keysNeeded({ keys, alg: 'ES256', immediate: false })).toBe(1);
    const plan = planRotation({ keys, alg: 'ES256', immediate: false, now: 5000, newKids: ['new'] });
    expect(plan.current).toBe('nxt');
    expect(plan.next).toBe('new');
    expect(plan.updates).toEqual([
      {
        kid: 'cur',
        from: 'current',
        patch: { state: 'previous', retireAfter: 5000 + PREVIOUS_KEY_GRACE_MS },
      },
      { kid: 'nxt', from: 'next', patch: { state: 'current', activatedAt: 5000 } },
    ]);
    expect(plan.inserts.map((k) => [k.kid, k.state])).toEqual([['new', 'next']]);
    // The other algorithm is untouched, and nothing leaves the JWKS.
    expect(publishedAfter(keys, plan.updates).map((k) => k.kid)).toEqual(['cur', 'nxt', 'rsa']);
  });

  it('grace period covers the 1 h ID token plus a margin', () => {
    expect(PREVIOUS_KEY_GRACE_MS).toBeGreaterThan(60 * 60 * 1000);
  });

  it('with no next key, a rotation only publishes one: the current key keeps signing', () => {
    expect(keysNeeded({ keys, alg: 'RS256', immediate: false })).toBe(1);
    const plan = planRotation({ keys, alg: 'RS256', immediate: false, now: 5000, newKids: ['r1'] });
    expect(plan.current).toBe('rsa');
    expect(plan.next).toBe('r1');
    expect(plan.updates).toEqual([]);
    expect(plan.inserts.map((k) => [k.kid, k.state])).toEqual([['r1', 'next']]);
  });

  it('an algorithm with no key at all gets a signing key and a next at once (nothing was signed with it)', () => {
    expect(keysNeeded({ keys, alg: 'PS256', immediate: false })).toBe(2);
    const plan = planRotation({ keys, alg: 'PS256', immediate: false, now: 5000, newKids: ['p1', 'p2'] });
    expect(plan.inserts.map((k) => [k.kid, k.state])).toEqual([
      ['p1', 'current'],
      ['p2', 'next'],
    ]);
  });

  it('an emergency rotation retires the current and next keys at once', () => {
    const plan = planRotation({ keys, alg: 'ES256', immediate: true, now: 5000, newKids: ['a', 'b'] });
    expect(plan.current).toBe('a');
    expect(plan.oldCurrent?.kid).toBe('cur');
    expect(plan.updates.map((u) => [u.kid, u.patch.state])).toEqual([
      ['cur', 'retired'],
      ['nxt', 'retired'],
    ]);
    expect(publishedAfter(keys, plan.updates).map((k) => k.kid)).toEqual(['rsa']);
  });

  it('refuses a wrong number of new kids', () => {
    expect(() =>
      planRotation({ keys, alg: 'ES256', immediate: false, now: 1, newKids: ['a', 'b'] }),
    ).toThrow();
  });

  it('duePrevious picks previous keys past retire-after only', () => {
    const ks = [
      key('p1', 'previous', { retireAfter: 10 }),
      key('p2', 'previous', { retireAfter: 30 }),
      key('c', 'current'),
    ];
    expect(duePrevious(ks, 20).map((k) => k.kid)).toEqual(['p1']);
  });
});
