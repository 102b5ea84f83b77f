import { describe, expect, it } from 'vitest';
import { sampleSum } from '../../test/helpers/scrape.js';
import { countAuditEvent } from './auditMetrics.js';
import { createMetrics } from './createMetrics.js';

describe('countAuditEvent', () => {
  it('counts logins, codes and limits from audit entries, with labels from fixed sets only', async () => {
    const metrics = createMetrics();
    const who = { accountId: 'acc-1', nationalId: '1000000008', ip: '192.0.2.7', userAgent: 'ua' };
    countAuditEvent(metrics, {
      event: 'login_succeeded',
      ...who,
      factor: 'pwd+totp',
      details: { acr: 'urn:hawiya:acr:standard', amr: ['pwd', 'otp', 'mfa'] },
    });
    countAuditEvent(metrics, { event: 'login_code_failed', ...who, factor: 'otp', details: { reason: 'x' } });
    countAuditEvent(metrics, {
      event: 'code_delivery_failed',
      ...who,
      factor: 'email',
      details: { purpose: 'reset' },
    });
    countAuditEvent(metrics, {
      event: 'login_throttled',
      ...who,
      details: { action: 'login', by: 'ip', reason: 'too_many_attempts', seconds: 60 },
    });
    countAuditEvent(metrics, { event: 'account_locked', ...who });
    // a value shaped like a person's datum never becomes a label
    countAuditEvent(metrics, {
      event: 'code_sent',
      ...who,
      factor: 'sms',
      details: { purpose: '0551234512' },
    });
    countAuditEvent(metrics, { event: 'consent_granted', ...who, clientId: 'test-rp' });

    const text = await metrics.registry.metrics();
    expect(
      sampleSum(text, 'hawiya_logins_total', {
        method: 'pwd+totp',
        acr: 'urn:hawiya:acr:standard',
        result: 'success',
      }),
    ).toBe(1);
    expect(sampleSum(text, 'hawiya_logins_total', { method: 'otp', result: 'wrong_code' })).toBe(1);
    expect(sampleSum(text, 'hawiya_logins_total', { result: 'throttled' })).toBe(1);
    expect(
      sampleSum(text, 'hawiya_codes_sent_total', { channel: 'email', purpose: 'reset', result: 'failed' }),
    ).toBe(1);
    expect(
      sampleSum(text, 'hawiya_codes_sent_total', { channel: 'sms', purpose: 'other', result: 'sent' }),
    ).toBe(1);
    expect(
      sampleSum(text, 'hawiya_throttled_total', { action: 'login', by: 'ip', reason: 'too_many_attempts' }),
    ).toBe(1);
    expect(sampleSum(text, 'hawiya_throttled_total', { action: 'account', reason: 'account_locked' })).toBe(
      1,
    );
    expect(text).not.toMatch(/1000000008|0551234512|192\.0\.2\.7|acc-1/);
  });
});
