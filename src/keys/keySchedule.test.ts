import { describe, expect, it } from 'vitest';
import { PREVIOUS_KEY_GRACE_MS } from './keyLifecycle.js';
import { dueKeySteps, PUBLISH_AHEAD_MS, scheduledKeySteps } from './keySchedule.js';
import type { SigningKeyRecord } from './keysRepo.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = 1_800_000_000_000;
const key = (kid: string, over: Partial<SigningKeyRecord>): SigningKeyRecord => ({
  kid,
  alg: 'ES256',
  state: 'current',
  createdAt: T0,
  activatedAt: T0,
  retireAfter: null,
  retiredAt: null,
  ...over,
});

describe('scheduledKeySteps', () => {
  const keys = [
    key('es-cur', {}),
    key('es-next', { state: 'next', activatedAt: null, createdAt: T0 + 1000 }),
    key('rs-cur', { alg: 'RS256', activatedAt: T0 + 5 * DAY }),
    key('es-old', { state: 'previous', retireAfter: T0 + PREVIOUS_KEY_GRACE_MS }),
    key('es-gone', { state: 'retired', retiredAt: T0 }),
  ];

  it('without automatic rotation only retires previous keys when their retire-after has passed', () => {
    expect(scheduledKeySteps({ keys, everyMs: 0, minPublishMs: 0 })).toEqual([
      { step: 'retire', alg: 'ES256', kid: 'es-old', at: T0 + PREVIOUS_KEY_GRACE_MS },
    ]);
  });

  it('publishes a next key a day before its turn, and rotates each algorithm when its period is over', () => {
    const steps = scheduledKeySteps({ keys, everyMs: 30 * DAY, minPublishMs: 15 * 60_000 });
    expect(steps).toEqual([
      { step: 'retire', alg: 'ES256', kid: 'es-old', at: T0 + PREVIOUS_KEY_GRACE_MS },
      { step: 'rotate', alg: 'ES256', kid: 'es-next', at: T0 + 30 * DAY },
      { step: 'publish', alg: 'RS256', at: T0 + 35 * DAY - PUBLISH_AHEAD_MS },
    ]);
    expect(dueKeySteps(steps, T0 + 30 * DAY).map((s) => s.step)).toEqual(['retire', 'rotate']);
  });

  it('a next key never signs before it has been published for the minimum time, however late it came', () => {
    const late = [
      key('es-cur', {}),
      key('es-next', { state: 'next', activatedAt: null, createdAt: T0 + 30 * DAY }),
    ];
    expect(scheduledKeySteps({ keys: late, everyMs: 30 * DAY, minPublishMs: 2 * DAY })).toEqual([
      { step: 'rotate', alg: 'ES256', kid: 'es-next', at: T0 + 32 * DAY },
    ]);
    // A short period publishes at once (never before the current key started signing).
    expect(scheduledKeySteps({ keys: [key('es-cur', {})], everyMs: DAY / 2, minPublishMs: 0 })).toEqual([
      { step: 'publish', alg: 'ES256', at: T0 },
    ]);
  });
});
