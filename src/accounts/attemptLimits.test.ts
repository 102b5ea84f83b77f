import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import type { AuditEntry } from '../shared/audit.js';
import { fakeClock } from '../shared/clock.js';
import { CodeInvalid, type HawiyaError, TooManyAttempts } from '../shared/errors.js';
import { createThrottle } from '../throttle/createThrottle.js';
import { type AttemptLimits, createAttemptLimits } from './attemptLimits.js';

describe.each(ENGINES)('attempt limits on %s', (engine) => {
  let testDb: TestDb;
  let limits: AttemptLimits;
  let audited: AuditEntry[];
  let told: string[];
  const clock = fakeClock(1_700_000_000_000);
  const flow = { nationalId: '1000000008' };
  const wrong = () => Promise.reject(new CodeInvalid(3));
  const from = (ip: string) => ({ ip, userAgent: 'test' });

  beforeEach(async () => {
    testDb = await createTestDb(engine);
    audited = [];
    told = [];
    limits = createAttemptLimits({
      throttle: createThrottle({ db: testDb.db, clock }),
      audit: { record: async (e) => void audited.push(e) },
      clock,
      settings: { ipLimit: 3, ipWindowSeconds: 600, subjectLimit: 2, disableAfter: 4 },
      notifyPerson: (o) => void told.push(`${o.kind} ${o.sms ? 'sms' : 'email'}`),
    });
  });
  afterEach(async () => {
    await testDb.destroy();
  });

  it('[checklist 7] wrong codes of one ID add up across requesters; at the limit the block is audited once and the person told by SMS', async () => {
    for (let i = 0; i < 4; i++) {
      await expect(limits.verifyCounted(flow, from(`192.0.2.${i}`), wrong)).rejects.toBeInstanceOf(
        CodeInvalid,
      );
    }
    expect(audited.filter((e) => e.event === 'codes_blocked')).toHaveLength(1);
    expect(told).toEqual(['codes_blocked sms']);
    expect(await limits.codesBlocked(flow.nationalId)).toBe(true);
    // short codes of the ID are refused; a long-code flow is still checked, and a right code ends the block
    await expect(limits.verifyCounted(flow, from('192.0.2.9'), async () => 'ok')).rejects.toMatchObject({
      code: 'codes_blocked',
      status: 423,
    });
    expect(await limits.verifyCounted({ ...flow, long: true }, from('192.0.2.9'), async () => 'ok')).toBe(
      'ok',
    );
    expect(await limits.codesBlocked(flow.nationalId)).toBe(false);
  });

  it('[checklist 7] one requester gets IP_LIMIT wrong codes a window, then is held back with the seconds left (audited)', async () => {
    for (let i = 0; i < 3; i++) {
      await expect(limits.verifyCounted(flow, from('192.0.2.1'), wrong)).rejects.toBeInstanceOf(CodeInvalid);
    }
    const held = (await limits
      .verifyCounted(flow, from('192.0.2.1'), async () => 'ok')
      .catch((e) => e)) as HawiyaError;
    expect(held).toBeInstanceOf(TooManyAttempts);
    expect(held.params.seconds).toBe(600);
    expect(audited.at(-1)).toMatchObject({
      event: 'attempt_throttled',
      details: { action: 'codes', by: 'ip' },
    });
  });

  it('[checklist 7] registration and reset attempts are limited per requester and per ID, each refusal audited', async () => {
    await limits.limited({ action: 'register', by: 'nid' }, flow.nationalId, from('192.0.2.1'));
    await limits.limited({ action: 'register', by: 'nid' }, flow.nationalId, from('192.0.2.2'));
    await expect(
      limits.limited({ action: 'register', by: 'nid' }, flow.nationalId, from('192.0.2.3')),
    ).rejects.toBeInstanceOf(TooManyAttempts);
    expect(audited).toEqual([
      expect.objectContaining({ event: 'attempt_throttled', nationalId: flow.nationalId, ip: '192.0.2.3' }),
    ]);
  });
});
