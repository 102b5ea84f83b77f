import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { fakeClock } from '../shared/clock.js';
import { createThrottle, type Throttle, throttleKey } from './createThrottle.js';

describe('throttleKey', () => {
  it('[checklist 44] holds no personal data', () => {
    const key = throttleKey('login', 'nid', '1000000008');
    expect(key.startsWith('login:nid:')).toBe(true);
    expect(key).not.toContain('1000000008');
    expect(throttleKey('login', 'nid', '1000000008')).toBe(key);
    expect(throttleKey('login', 'nid', '1045238712')).not.toBe(key);
  });
});

describe.each(ENGINES)('createThrottle on %s', (engine) => {
  let testDb: TestDb;
  let throttle: Throttle;
  const clock = fakeClock(1_700_000_000_000);
  const limit = { limit: 3, windowSeconds: 60 };

  beforeEach(async () => {
    testDb = await createTestDb(engine);
    throttle = createThrottle({ db: testDb.db, clock });
  });
  afterEach(async () => {
    await testDb.destroy();
  });

  it('counts up to the limit, then refuses with the seconds left in the window', async () => {
    expect(await throttle.consume('k', limit)).toBe(1);
    expect(await throttle.consume('k', limit)).toBe(2);
    expect(await throttle.consume('k', limit)).toBe(3);
    clock.advance(20_000);
    await expect(throttle.consume('k', limit)).rejects.toMatchObject({
      code: 'too_many_attempts',
      status: 429,
      params: { seconds: 40 },
    });
    expect(await throttle.count('k')).toBe(4);
    expect(await throttle.peek('k')).toEqual({ count: 4, expiresAt: 1_700_000_000_000 + 60_000 });
    expect(await throttle.count('other')).toBe(0);
  });

  it('starts a new window once the old one ends', async () => {
    for (let i = 0; i < 4; i++) await throttle.consume('k', limit).catch(() => undefined);
    clock.advance(60_000);
    expect(await throttle.count('k')).toBe(0);
    expect(await throttle.peek('k')).toBeUndefined();
    expect(await throttle.consume('k', limit)).toBe(1);
  });

  it('[checklist 7] counts concurrent hits exactly (limits hold across workers)', async () => {
    const hits = await Promise.allSettled(
      Array.from({ length: 40 }, () => throttle.consume('burst', { limit: 10, windowSeconds: 60 })),
    );
    expect(hits.filter((h) => h.status === 'fulfilled')).toHaveLength(10);
    expect(await throttle.count('burst')).toBe(40);
    const counts = hits.flatMap((h) => (h.status === 'fulfilled' ? [h.value] : [])).sort((a, b) => a - b);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('[checklist 7] two throttles on the same database (two workers) share one count', async () => {
    const other = createThrottle({ db: testDb.db, clock });
    await throttle.consume('shared', limit);
    await other.consume('shared', limit);
    await throttle.consume('shared', limit);
    await expect(other.consume('shared', limit)).rejects.toMatchObject({ code: 'too_many_attempts' });
  });

  it('resets a key and purges ended windows', async () => {
    await throttle.consume('a', limit);
    await throttle.consume('b', { limit: 3, windowSeconds: 600 });
    await throttle.reset('a');
    expect(await throttle.count('a')).toBe(0);
    await throttle.consume('a', limit);
    clock.advance(61_000);
    expect(await throttle.purgeExpired()).toBe(1);
    expect(await throttle.count('b')).toBe(1);
  });
});
