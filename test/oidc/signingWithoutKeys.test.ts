import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// A node that cannot load the signing keys the database names reports not-ready and signs nothing with the
// keys it had: its token-issuing endpoints answer 503 (as when the database is down), discovery and JWKS
// still answer, and it serves again by itself once the keys load.
describe('a node without its signing keys refuses to sign', () => {
  let t: TestIdp;
  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  const tokenRequest = () => {
    const secret = loadConfig(t.env).services['loss-report'].clientSecret;
    return t.fetch(`${t.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`loss-report:${secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'registry:verify',
        resource: `${t.issuer}/api/registry/verify`,
      }),
    });
  };

  it('token 503 server_error and the authorization page 503 while a new key cannot load; 200 once it can', async () => {
    expect((await tokenRequest()).status).toBe(200);
    const { keyStore } = t.idp;
    const key = await keyStore.create('ES256', 'next');
    const saved = keyStore.files.read(key.kid);
    keyStore.files.remove(key.kid);
    expect(await t.idp.reloadKeys()).toBe(false);

    const refused = await tokenRequest();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ error: 'server_error' });

    const page = await t.fetch(`${t.issuer}/auth?client_id=loss-report&response_type=code&scope=openid`, {
      headers: { 'accept-language': 'en' },
    });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    const html = await page.text();
    expect(html).toContain('lang="en"');
    expect(html).toContain('temporarily unavailable');
    const arabic = await t.fetch(`${t.issuer}/auth?client_id=loss-report`, {
      headers: { 'accept-language': 'ar' },
    });
    expect(arabic.status).toBe(503);
    expect(await arabic.text()).toContain('الخدمة غير متاحة مؤقتاً');

    // Relying parties can still verify what was signed before.
    expect((await t.fetch(`${t.issuer}/jwks`)).status).toBe(200);
    expect((await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).status).toBe(200);

    const notReady = await t.fetch(`${t.issuer}/readyz`);
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { reasons: string[] }).reasons.join(' ')).toContain(key.kid);

    keyStore.files.write(key.kid, saved);
    expect(await t.idp.reloadKeys()).toBe(true);
    expect((await t.fetch(`${t.issuer}/readyz`)).status).toBe(200);
    const again = await tokenRequest();
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ token_type: 'Bearer' });
  });
});
