import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Idp } from '../../src/createIdp.js';
import { securityHeaderList } from '../../src/shared/securityHeaders.js';
import { inProcessFetch } from '../helpers/inProcessFetch.js';
import { memoryLogger } from '../helpers/memoryLogger.js';
import { completeLogin, exchange, idpWithPerson, startLogin, TEST_CLIENT } from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';

const CLIENT_AUTH = `Basic ${Buffer.from(`${TEST_CLIENT.client_id}:${TEST_CLIENT.client_secret}`).toString('base64')}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded', authorization: CLIENT_AUTH };

// The endpoints relying parties' servers call skip the page app (protocolApiListener.ts): each must still
// answer exactly as it did through it, with the request id, log line and security headers every answer has.
describe('protocol API requests straight to oidc-provider', () => {
  let t: TestIdp;
  let accessToken: string;
  const lines: string[] = [];
  let throughPageApp: typeof fetch;

  beforeAll(async () => {
    const started = await idpWithPerson({ idp: { inProcess: true, logger: memoryLogger(lines) } });
    t = started.t;
    const login = await startLogin(t, started.config, { scope: 'openid profile' });
    const tokens = await exchange(started.config, login, await completeLogin(t, login, started.person));
    accessToken = String(tokens.access_token);
    // built in process, the IdP is the whole Idp: its page app is there to compare with
    throughPageApp = inProcessFetch((t.idp as unknown as Idp).app.callback());
  });
  afterAll(async () => {
    await t?.close();
  });

  // Requests that can be made twice with the same answer (no single-use value spent).
  const requests = (): Array<[string, RequestInit]> => [
    ['/me', { headers: { authorization: `Bearer ${accessToken}` } }],
    ['/me', { headers: { authorization: 'Bearer not-a-token' } }],
    ['/token/introspection', { method: 'POST', headers: FORM, body: `token=${accessToken}` }],
    ['/token/revocation', { method: 'POST', headers: FORM, body: 'token=not-a-token' }],
    [
      '/token',
      { method: 'POST', headers: FORM, body: 'grant_type=authorization_code&code=spent&redirect_uri=x' },
    ],
    [
      '/token',
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' },
    ],
    ['/me?x=a%00b', { headers: { authorization: `Bearer ${accessToken}` } }],
    // after 1,000 empty pairs, where node:querystring stops reading (found by review)
    [`/me?${'&'.repeat(1000)}x=a%1bb`, { headers: { authorization: `Bearer ${accessToken}` } }],
    [
      `/token?${'&'.repeat(1000)}x=%00`,
      { method: 'POST', headers: FORM, body: 'grant_type=client_credentials' },
    ],
    [
      '/token',
      { method: 'POST', headers: { ...FORM, authorization: `Basic ${btoa('rp%00:x')}` }, body: 'x=1' },
    ],
  ];
  const answer = async (res: Response) => {
    const headers = Object.fromEntries(
      [...res.headers].filter(([name]) => !['x-request-id', 'date', 'content-length'].includes(name)),
    );
    return { status: res.status, headers, body: await res.text() };
  };

  /** An answer's request id (checked), its security headers (checked) and the request lines logged since. */
  const requestLineOf = async (res: Response) => {
    await res.text();
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for (const [name, value] of securityHeaderList({ https: false }))
      expect(res.headers.get(name)).toBe(value);
    return { id, logged: lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request') };
  };

  it('answers userinfo, introspection, revocation and token requests as the page app in front did', async () => {
    for (const [path, init] of requests()) {
      const direct = await answer(await t.fetch(`${t.issuer}${path}`, init));
      const viaApp = await answer(await throughPageApp(`${t.issuer}${path}`, init));
      expect(direct, `${init.method ?? 'GET'} ${path}`).toEqual(viaApp);
    }
  });

  it('sends discovery and the JWKS from memory exactly as the page app does (200, HEAD, 304, CORS)', async () => {
    for (const path of ['/.well-known/openid-configuration', '/jwks']) {
      // the first request of each goes through the page app and the provider, which keep the answer
      expect((await t.fetch(`${t.issuer}${path}`)).status).toBe(200);
      const etag = (await t.fetch(`${t.issuer}${path}`)).headers.get('etag') ?? '';
      const cases: RequestInit[] = [
        {},
        { method: 'HEAD' },
        { headers: { 'if-none-match': etag } },
        { headers: { 'if-none-match': `"other", W/${etag}` } },
        { headers: { 'if-none-match': '"other"' } },
        { headers: { 'if-none-match': etag, 'cache-control': 'no-cache' } },
        { headers: { origin: 'https://rp.example' } },
      ];
      for (const init of cases) {
        const direct = await answer(await t.fetch(`${t.issuer}${path}`, init));
        const viaApp = await answer(await throughPageApp(`${t.issuer}${path}`, init));
        expect(direct, `${path} ${JSON.stringify(init)}`).toEqual(viaApp);
      }
      const revalidated = await t.fetch(`${t.issuer}${path}`, { headers: { 'if-none-match': etag } });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get('content-type')).toBeNull();
    }
  });

  it('identifies a discovery request sent from memory, and logs its line at debug level only', async () => {
    await (await t.fetch(`${t.issuer}/jwks`)).text();
    lines.length = 0;
    const { id, logged } = await requestLineOf(await t.fetch(`${t.issuer}/jwks`));
    // pino's level 20 is debug: a production server (info) writes no line for these
    expect(logged).toEqual([
      expect.objectContaining({ level: 20, reqId: id, method: 'GET', path: '/jwks', status: 200 }),
    ]);
  });

  it('[checklist 44] refuses control characters in the query or client credentials with invalid_request', async () => {
    // the last four: a NUL in the query, an ESC or NUL after 1,000 empty pairs, a NUL in the client id
    for (const [path, init] of requests().slice(-4)) {
      const res = await t.fetch(`${t.issuer}${path}`, init);
      expect(res.status).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: 'parameters must not contain control characters',
      });
    }
  });

  it('gives each answer its request id, the security headers and one request log line', async () => {
    lines.length = 0;
    const res = await t.fetch(`${t.issuer}/me?claims=x`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const { id, logged } = await requestLineOf(res);
    expect(logged).toEqual([
      expect.objectContaining({ reqId: id, method: 'GET', path: '/me', status: res.status }),
    ]);
  });
});
