import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { newTotpSecret, TOTP_PERIOD, totpUri, verifyTotp } from './totpCodes.js';

const T = 1_800_000_000_000; // a fixed instant, ms

async function codeAt(secret: string, ms: number): Promise<string> {
  return generate({ secret, period: TOTP_PERIOD, epoch: Math.floor(ms / 1000) });
}

describe('totpCodes', () => {
  it('[checklist 10] a 160-bit secret (32 base32 characters) and period=30 in the otpauth URI', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri({ secret, account: 'khalid' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('issuer')).toBe('Hawiya');
  });

  it('accepts the code of this step and of one step either side, not two', async () => {
    const secret = newTotpSecret();
    for (const offset of [-1, 0, 1])
      expect(await verifyTotp({ secret, code: await codeAt(secret, T + offset * 30_000), nowMs: T })).toBe(
        Math.floor(T / 30_000) + offset,
      );
    for (const offset of [-2, 2])
      expect(
        await verifyTotp({ secret, code: await codeAt(secret, T + offset * 30_000), nowMs: T }),
      ).toBeUndefined();
  });

  it('[checklist 9] a code of a step already used (or an earlier one) is refused while still showing', async () => {
    const secret = newTotpSecret();
    const code = await codeAt(secret, T);
    const step = await verifyTotp({ secret, code, nowMs: T });
    expect(step).toBeDefined();
    expect(await verifyTotp({ secret, code, nowMs: T + 5000, afterStep: step })).toBeUndefined();
    const earlier = await codeAt(secret, T - 30_000);
    expect(await verifyTotp({ secret, code: earlier, nowMs: T, afterStep: step })).toBeUndefined();
    const next = await codeAt(secret, T + 30_000);
    expect(await verifyTotp({ secret, code: next, nowMs: T + 30_000, afterStep: step })).toBe(
      (step ?? 0) + 1,
    );
  });

  it('refuses what is not six digits', async () => {
    const secret = newTotpSecret();
    expect(await verifyTotp({ secret, code: '12345', nowMs: T })).toBeUndefined();
    expect(await verifyTotp({ secret, code: 'abcdef', nowMs: T })).toBeUndefined();
  });
});
