import { describe, expect, it } from 'vitest';
import { ACR } from './acr.js';
import { sessionLimits, sessionTtl } from './sessionLimits.js';

const DEFAULTS = { idleSeconds: 3600, maxSeconds: 86_400, highIdleSeconds: 900, highMaxSeconds: 43_200 };

describe('sessionLimits', () => {
  it('[checklist 17] standard 1 h idle / 24 h; high 15 min / 12 h; basic as standard', () => {
    expect(sessionLimits(ACR.standard, DEFAULTS)).toEqual({ idle: 3600, max: 86_400 });
    expect(sessionLimits(ACR.basic, DEFAULTS)).toEqual({ idle: 3600, max: 86_400 });
    expect(sessionLimits(undefined, DEFAULTS)).toEqual({ idle: 3600, max: 86_400 });
    expect(sessionLimits(ACR.high, DEFAULTS)).toEqual({ idle: 900, max: 43_200 });
  });

  it('[checklist 17] a high session never outlives what a standard one is given', () => {
    const tight = { ...DEFAULTS, idleSeconds: 600, maxSeconds: 900 };
    expect(sessionLimits(ACR.high, tight)).toEqual({ idle: 600, max: 900 });
  });

  it('the time left is the idle timeout, cut short by the absolute one', () => {
    const now = 1_000_000;
    expect(sessionTtl({ acr: ACR.high, loginTs: now - 60, nowSeconds: now, settings: DEFAULTS })).toBe(900);
    expect(sessionTtl({ acr: ACR.high, loginTs: now - 43_000, nowSeconds: now, settings: DEFAULTS })).toBe(
      200,
    );
    expect(
      sessionTtl({ acr: ACR.standard, loginTs: now - 90_000, nowSeconds: now, settings: DEFAULTS }),
    ).toBe(1);
  });
});
