import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFromAddresses } from '../helpers/registerFromAddresses.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { auditRows } from './journey.js';

/** Unknown-ID registrations, each from a fresh client sending the given X-Forwarded-For: their statuses. */
function register(t: TestIdp, count: number, forwardedFor: (i: number) => string): Promise<number[]> {
  return registerFromAddresses({ idp: t, count, forwardedFor, idFill: '5', usernamePrefix: 'proxyuser' });
}

describe('behind one trusted proxy (TRUST_PROXY=true)', () => {
  let t: TestIdp;
  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true, env: { TRUST_PROXY: 'true', IP_LIMIT: '3' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 7] review item 5: a spoofed leftmost X-Forwarded-For entry does not escape the per-IP limit', async () => {
    // The proxy appends the address it saw (198.51.100.7); the client rotates what it sent before that.
    const statuses = await register(t, 5, (i) => `203.0.113.${i + 1}, 198.51.100.7`);
    expect(statuses).toEqual([303, 303, 303, 429, 429]);
  });

  it('[checklist 44] review item 5: the audit records the address the proxy added, not the spoofed one', async () => {
    const rows = await auditRows(t, 'registration_rejected');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.ip).toBe('198.51.100.7');
  });
});

describe('behind two trusted proxies (TRUST_PROXY_HOPS=2)', () => {
  let t: TestIdp;
  beforeAll(async () => {
    t = await startTestIdp({
      inProcess: true,
      env: { TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2', IP_LIMIT: '2' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 7] review item 5: the client is the entry the outer proxy added; the inner proxy and spoofed entries are ignored', async () => {
    const statuses = await register(t, 3, (i) => `10.9.9.${i}, 192.0.2.44, 10.0.0.2`);
    expect(statuses).toEqual([303, 303, 429]);
    const rows = await auditRows(t, 'registration_rejected');
    expect(rows.map((r) => r.ip)).toEqual(['192.0.2.44', '192.0.2.44']);
    // Another client behind the same proxies has its own count.
    expect(await register(t, 1, () => '192.0.2.45, 10.0.0.2')).toEqual([303]);
  });
});
