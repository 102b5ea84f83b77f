import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf } from '../helpers/webClient.js';

// Hawiya behind a TLS-terminating proxy (https issuer, X-Forwarded-Proto: https), as in production.
describe('the CSRF cookie over https', () => {
  let t: TestIdp;
  let local: string;
  const viaProxy = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'id.example' };

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true, env: { ISSUER: 'https://id.example', TRUST_PROXY: 'true' } });
    local = t.issuer;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 20] [checklist 18] is __Host- prefixed, Secure, HttpOnly, SameSite and host-only, and the form still posts with it', async () => {
    const page = await t.fetch(`${local}/register`, { headers: viaProxy });
    expect(page.status).toBe(200);
    const line = page.headers.getSetCookie().find((c) => /csrf=/.test(c)) ?? '';
    expect(line).toMatch(/^__Host-hawiya\.csrf=[A-Za-z0-9_-]{43};/);
    expect(line).toMatch(/; secure/i);
    expect(line).toMatch(/; httponly/i);
    expect(line).toMatch(/; samesite=lax/i);
    expect(line).toMatch(/; path=\/(;|$)/i);
    expect(line).not.toMatch(/domain=/i);

    // A cookie without the prefix (which a sibling subdomain or a plain-http page could plant) is not the
    // token's cookie: a form posted with it alone is refused.
    const token = csrfOf(await page.text());
    const cookie = line.split(';')[0] ?? '';
    const post = (cookieHeader: string) =>
      t.fetch(`${local}/reset`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...viaProxy, cookie: cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _csrf: token,
          nationalId: '1000000008',
          birthDate: '1985-03-14',
        }).toString(),
      });
    expect((await post(`hawiya.csrf=${token}`)).status).toBe(403);
    expect((await post(cookie)).status).not.toBe(403);
  });
});
