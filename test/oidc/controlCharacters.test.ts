import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTestClient, TEST_CLIENT } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const CLIENT_AUTH = basic(TEST_CLIENT.client_id, TEST_CLIENT.client_secret);

// A NUL byte (%00) in any parameter: PostgreSQL cannot hold it, so it must never reach a query as is.
// Every endpoint answers with an OAuth error or an error page, never a 500.
describe('control characters in protocol parameters', () => {
  let t: TestIdp;
  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, body: string, authorization = CLIENT_AUTH) =>
    t.fetch(`${t.issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      body,
    });
  const json = async (res: Response) => ({ status: res.status, body: await res.json() });

  it('[checklist 44] review item 7: /auth refuses a NUL in client_id, request_uri or any parameter with a 400 page', async () => {
    const base = `client_id=${TEST_CLIENT.client_id}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(TEST_CLIENT.redirect_uri)}`;
    for (const query of [
      'client_id=test-rp%00&response_type=code&scope=openid',
      `${base}&request_uri=urn:ietf:params:oauth:request_uri:abc%00def`,
      `${base}&state=x%00y&code_challenge=abc&code_challenge_method=S256`,
    ]) {
      const res = await t.fetch(`${t.issuer}/auth?${query}`, { redirect: 'manual' });
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).not.toMatch(/Internal Server Error|server_error/);
    }
  });

  it('[checklist 44] review item 7: /session/end refuses a NUL in client_id, and its confirmation form one in xsrf, without a 500', async () => {
    const get = await t.fetch(`${t.issuer}/session/end?client_id=test-rp%00`, { redirect: 'manual' });
    expect(get.status).toBe(400);
    const form = await t.fetch(`${t.issuer}/session/end/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'xsrf=a%00b&logout=yes',
      redirect: 'manual',
    });
    expect(form.status).toBe(400);
  });

  it('[checklist 44] review item 7: /token answers a NUL in code, refresh_token or client_id with an OAuth error', async () => {
    expect(
      await json(await post('/token', 'grant_type=authorization_code&code=abc%00def&redirect_uri=x')),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect(
      await json(await post('/token', 'grant_type=refresh_token&refresh_token=abc%00def')),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect(
      await json(
        await post('/token', 'grant_type=refresh_token&refresh_token=x', basic('test-rp\u0000', 'x')),
      ),
    ).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const bodyClient = await post(
      '/token',
      'grant_type=refresh_token&refresh_token=x&client_id=test-rp%00',
      '',
    );
    expect(bodyClient.status).toBeGreaterThanOrEqual(400);
    expect(bodyClient.status).toBeLessThan(500);
    expect((await bodyClient.json()).error).toMatch(/^invalid_(client|request)$/);
  });

  it('[checklist 44] review item 7: introspection and revocation answer a NUL in token or client_id without a 500', async () => {
    expect(await json(await post('/token/introspection', 'token=abc%00def'))).toEqual({
      status: 200,
      body: { active: false },
    });
    expect((await post('/token/revocation', 'token=abc%00def')).status).toBe(200);
    for (const path of ['/token/introspection', '/token/revocation']) {
      expect(await json(await post(path, 'token=x', basic('test-rp\u0000', 'x'))), path).toMatchObject({
        status: 400,
        body: { error: 'invalid_request' },
      });
      expect(
        await json(
          await t.fetch(`${t.issuer}${path}?client_id=test-rp%00`, {
            method: 'POST',
            headers: { authorization: CLIENT_AUTH },
          }),
        ),
        path,
      ).toMatchObject({
        status: 400,
        body: { error: 'invalid_request' },
      });
    }
  });
});
