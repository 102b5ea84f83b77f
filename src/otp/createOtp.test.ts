import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import type { Notifier } from '../notify/index.js';
import { fakeClock } from '../shared/clock.js';
import { DeliveryFailed } from '../shared/errors.js';
import { createOtp, type IssueCode, type Otp, parseCode } from './createOtp.js';

/** Records what would be sent; `failNext` makes the next send fail like a broken gateway. */
function fakeNotifier() {
  const sent: { channel: 'sms' | 'email'; to: string; text: string }[] = [];
  let fail = 0;
  const notifier: Notifier = {
    async sendSms(msg) {
      if (fail > 0) {
        fail -= 1;
        throw new DeliveryFailed('sms');
      }
      sent.push({ channel: 'sms', to: msg.to, text: msg.text });
    },
    async sendEmail(msg) {
      if (fail > 0) {
        fail -= 1;
        throw new DeliveryFailed('email');
      }
      sent.push({ channel: 'email', to: msg.to, text: msg.text });
    },
  };
  return {
    notifier,
    sent,
    failNext() {
      fail = 1;
    },
    lastCode: () => sent.at(-1)?.text.match(/\b(\d{6})\b/)?.[1] ?? '',
  };
}

const request = (binding: string, extra: Partial<IssueCode> = {}): IssueCode => ({
  purpose: 'login',
  binding,
  subject: 'account-1',
  channel: 'sms',
  to: '0551234512',
  message: (code, minutes) => ({ subject: 'code', text: `code ${code} for ${minutes} minutes` }),
  ...extra,
});

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe.each(ENGINES)('createOtp on %s', (engine) => {
  let testDb: TestDb;
  let otp: Otp;
  let fake: ReturnType<typeof fakeNotifier>;
  const clock = fakeClock(1_700_000_000_000);

  beforeEach(async () => {
    testDb = await createTestDb(engine);
    fake = fakeNotifier();
    otp = createOtp({
      db: testDb.db,
      notifier: fake.notifier,
      clock,
      settings: { ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60 },
      hmacKey: 'test-hmac-key-0123456789abcdefghijklmnop',
    });
  });
  afterEach(async () => {
    await testDb.destroy();
  });

  it('[checklist 11] sends 6 random digits and stores only a hash', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await otp.issue(request(`tx-${i}`));
      const code = fake.lastCode();
      expect(code).toMatch(/^\d{6}$/);
      codes.add(code);
    }
    expect(codes.size).toBeGreaterThan(15);
    const rows = await testDb.db('otp_codes').select('code_hash');
    for (const r of rows) for (const c of codes) expect(r.code_hash).not.toContain(c);
    expect(fake.sent[0]?.text).toContain('5 minutes');
  });

  it('[checklist 9] accepts a code once; the replay fails', async () => {
    await otp.issue(request('tx'));
    const code = fake.lastCode();
    await expect(otp.verify({ purpose: 'login', binding: 'tx', code })).resolves.toEqual({
      subject: 'account-1',
      channel: 'sms',
    });
    await expect(otp.verify({ purpose: 'login', binding: 'tx', code })).rejects.toMatchObject({
      code: 'code_expired',
    });
  });

  it('[checklist 9] two simultaneous uses of one code: exactly one wins', async () => {
    await otp.issue(request('tx'));
    const code = fake.lastCode();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => otp.verify({ purpose: 'login', binding: 'tx', code })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('[checklist 11] is bound to its transaction and purpose', async () => {
    await otp.issue(request('login-a'));
    const a = fake.lastCode();
    await otp.issue(request('login-b'));
    const b = fake.lastCode();
    if (a !== b) {
      await expect(otp.verify({ purpose: 'login', binding: 'login-b', code: a })).rejects.toMatchObject({
        code: 'code_invalid',
      });
    }
    await expect(otp.verify({ purpose: 'reset', binding: 'login-a', code: a })).rejects.toMatchObject({
      code: 'code_expired',
    });
    await expect(otp.verify({ purpose: 'login', binding: 'login-a', code: a })).resolves.toBeTruthy();
    await expect(otp.verify({ purpose: 'login', binding: 'login-b', code: b })).resolves.toBeTruthy();
  });

  it('[checklist 11] expires after the TTL', async () => {
    await otp.issue(request('tx'));
    const code = fake.lastCode();
    clock.advance(300_000);
    await expect(otp.verify({ purpose: 'login', binding: 'tx', code })).rejects.toMatchObject({
      code: 'code_expired',
    });
  });

  it('[checklist 7] five wrong tries void the code, counting down the tries left', async () => {
    await otp.issue(request('tx'));
    const code = fake.lastCode();
    for (const left of [4, 3, 2, 1]) {
      await expect(otp.verify({ purpose: 'login', binding: 'tx', code: wrong(code) })).rejects.toMatchObject({
        code: 'code_invalid',
        params: { remaining: left },
      });
    }
    await expect(otp.verify({ purpose: 'login', binding: 'tx', code: wrong(code) })).rejects.toMatchObject({
      code: 'code_void',
    });
    await expect(otp.verify({ purpose: 'login', binding: 'tx', code })).rejects.toMatchObject({
      code: 'code_void',
    });
  });

  it('[checklist 7] wrong tries counted exactly under concurrency', async () => {
    await otp.issue(request('tx'));
    const code = fake.lastCode();
    await Promise.allSettled(
      Array.from({ length: 12 }, () => otp.verify({ purpose: 'login', binding: 'tx', code: wrong(code) })),
    );
    const row = await testDb.db('otp_codes').where({ binding: 'tx' }).first();
    expect(Number(row.attempts)).toBe(5);
    await expect(otp.verify({ purpose: 'login', binding: 'tx', code })).rejects.toMatchObject({
      code: 'code_void',
    });
  });

  it('[checklist 7] resending waits OTP_RESEND_SECONDS, voids the old code and keeps the wrong-try count', async () => {
    await otp.issue(request('tx'));
    const first = fake.lastCode();
    await expect(otp.verify({ purpose: 'login', binding: 'tx', code: wrong(first) })).rejects.toMatchObject({
      params: { remaining: 4 },
    });
    await expect(otp.issue(request('tx'))).rejects.toMatchObject({ code: 'resend_too_soon' });
    expect(await otp.resendWait('tx', 'login')).toBe(60);
    clock.advance(60_000);
    expect(await otp.resendWait('tx', 'login')).toBe(0);
    await otp.issue(request('tx'));
    const second = fake.lastCode();
    if (second !== first) {
      await expect(otp.verify({ purpose: 'login', binding: 'tx', code: first })).rejects.toMatchObject({
        code: 'code_invalid',
        params: { remaining: 3 },
      });
    }
    await expect(otp.verify({ purpose: 'login', binding: 'tx', code: second })).resolves.toBeTruthy();
  });

  it('[checklist 7] once the tries are spent, no new code is sent for that transaction', async () => {
    await otp.issue(request('tx'));
    const code = fake.lastCode();
    for (let i = 0; i < 5; i++) {
      await otp.verify({ purpose: 'login', binding: 'tx', code: wrong(code) }).catch(() => undefined);
    }
    clock.advance(61_000);
    const before = fake.sent.length;
    await expect(otp.issue(request('tx'))).rejects.toMatchObject({ code: 'code_void' });
    expect(fake.sent).toHaveLength(before);
  });

  it('a failed delivery leaves no code behind and allows an immediate retry', async () => {
    fake.failNext();
    await expect(otp.issue(request('tx'))).rejects.toMatchObject({ code: 'delivery_failed' });
    expect(await testDb.db('otp_codes').where({ binding: 'tx' })).toHaveLength(0);
    expect(await otp.resendWait('tx', 'login')).toBe(0);
    await otp.issue(request('tx', { channel: 'email', to: 'a@example.com' }));
    expect(fake.sent.at(-1)?.channel).toBe('email');
    await expect(otp.verify({ purpose: 'login', binding: 'tx', code: fake.lastCode() })).resolves.toEqual({
      subject: 'account-1',
      channel: 'email',
    });
  });

  it('[checklist 8] deliver: later stores the code now and sends it only when asked; a failed send forgets it', async () => {
    const issued = await otp.issue(request('tx', { deliver: 'later' }));
    expect(fake.sent).toHaveLength(0);
    expect(await testDb.db('otp_codes').where({ binding: 'tx' })).toHaveLength(1);
    fake.failNext();
    await expect(issued.deliver?.()).rejects.toMatchObject({ code: 'delivery_failed' });
    expect(await testDb.db('otp_codes').where({ binding: 'tx' })).toHaveLength(0);
    expect(await otp.resendWait('tx', 'login')).toBe(0);
    const again = await otp.issue(request('tx', { deliver: 'later' }));
    await again.deliver?.();
    await expect(
      otp.verify({ purpose: 'login', binding: 'tx', code: fake.lastCode() }),
    ).resolves.toBeTruthy();
  });

  it('[checklist 7] a long code: 16 characters (about 78 bits) sent in groups of four, typed in any case with spaces or dashes', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await otp.issue(request(`long-${i}`, { long: true }));
      const shown = fake.sent.at(-1)?.text.match(/\b([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})\b/)?.[1] ?? '';
      expect(shown).toMatch(/^[A-HJKMNP-TV-Z2-9]{4}(-[A-HJKMNP-TV-Z2-9]{4}){3}$/);
      seen.add(shown);
    }
    expect(seen.size).toBe(5);
    const shown = [...seen][4] ?? '';
    const typed = parseCode(shown.toLowerCase().replaceAll('-', ' '));
    expect(typed).toBe(shown.replaceAll('-', ''));
    expect(parseCode('12345')).toBeNull();
    expect(parseCode('ABCD-EFGH-JKMN-PQR1')).toBeNull();
    expect(parseCode(' 123 456 ')).toBe('123456');
    await expect(
      otp.verify({ purpose: 'login', binding: 'long-4', code: typed ?? '' }),
    ).resolves.toBeTruthy();
  });

  it('purges expired codes', async () => {
    await otp.issue(request('old'));
    clock.advance(301_000);
    await otp.issue(request('new'));
    expect(await otp.purgeExpired()).toBe(1);
    expect(await testDb.db('otp_codes').pluck('binding')).toEqual(['new']);
  });
});
