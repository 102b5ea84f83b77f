import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTestClient, TEST_CLIENT } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

// The back-channel endpoints and the published metadata and keys.
describe('token-side endpoints, discovery and keys', () => {
  let t: TestIdp;
  let meta: Record<string, unknown>;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t);
    meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    t.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body).toString(),
    });

  const endpoints = (): [string, string, Record<string, string>][] => [
    ['token', meta.token_endpoint as string, { grant_type: 'authorization_code', code: 'x'.repeat(43) }],
    ['introspection', meta.introspection_endpoint as string, { token: 'x'.repeat(43) }],
    ['revocation', meta.revocation_endpoint as string, { token: 'x'.repeat(43) }],
    [
      'PAR',
      meta.pushed_authorization_request_endpoint as string,
      {
        response_type: 'code',
        redirect_uri: TEST_CLIENT.redirect_uri,
        scope: 'openid',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      },
    ],
  ];

  it('[checklist 32] discovery names the four endpoints and only private_key_jwt and client_secret_basic', () => {
    for (const [name, url] of endpoints()) expect(new URL(url).origin, name).toBe(t.issuer);
    expect(meta.token_endpoint_auth_methods_supported).toEqual(['private_key_jwt', 'client_secret_basic']);
    expect(meta.token_endpoint_auth_methods_supported).not.toContain('none');
  });

  it('[checklist 32] token, introspection, revocation and PAR refuse a client_id without authentication: 401 invalid_client', async () => {
    for (const [name, url, body] of endpoints()) {
      const res = await post(url, { ...body, client_id: TEST_CLIENT.client_id });
      expect(res.status, name).toBe(401);
      expect((await res.json()).error, name).toBe('invalid_client');
    }
  });

  it('[checklist 32] token, introspection, revocation and PAR refuse a wrong secret: 401 invalid_client', async () => {
    for (const [name, url, body] of endpoints()) {
      const res = await post(url, body, {
        authorization: basic(TEST_CLIENT.client_id, `${TEST_CLIENT.client_secret}x`),
      });
      expect(res.status, name).toBe(401);
      expect((await res.json()).error, name).toBe('invalid_client');
    }
  });

  it('[checklist 32] the secret in the body (client_secret_post, not registered) is refused: 401 invalid_client', async () => {
    for (const [name, url, body] of endpoints()) {
      const res = await post(url, {
        ...body,
        client_id: TEST_CLIENT.client_id,
        client_secret: TEST_CLIENT.client_secret,
      });
      expect(res.status, name).toBe(401);
      expect((await res.json()).error, name).toBe('invalid_client');
    }
  });

  it('[checklist 32] a request naming no client at all is refused and gets no token', async () => {
    for (const [name, url, body] of endpoints()) {
      const res = await post(url, body);
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(['invalid_client', 'invalid_request'], name).toContain((await res.json()).error);
    }
  });

  it('[checklist 32] with the right secret the same calls get past client authentication (control case)', async () => {
    const auth = { authorization: basic(TEST_CLIENT.client_id, TEST_CLIENT.client_secret) };
    const [token, introspection, revocation, par] = endpoints();
    const tokenRes = await post(
      token?.[1] ?? '',
      { ...token?.[2], redirect_uri: TEST_CLIENT.redirect_uri, code_verifier: 'v'.repeat(43) },
      auth,
    );
    expect((await tokenRes.json()).error).toBe('invalid_grant');
    const intro = await post(introspection?.[1] ?? '', introspection?.[2] ?? {}, auth);
    expect(intro.status).toBe(200);
    expect((await intro.json()).active).toBe(false);
    expect((await post(revocation?.[1] ?? '', revocation?.[2] ?? {}, auth)).status).toBe(200);
    const pushed = await post(par?.[1] ?? '', { ...par?.[2], client_id: TEST_CLIENT.client_id }, auth);
    expect(pushed.status, JSON.stringify(await pushed.clone().json())).toBe(201);
    expect((await pushed.json()).request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
  });

  it.each(['password', 'implicit'])(
    '[checklist 28] grant_type=%s at the token endpoint is refused with unsupported_grant_type',
    async (grantType) => {
      const res = await post(
        meta.token_endpoint as string,
        { grant_type: grantType, username: '1000000008', password: 'whatever-it-is', scope: 'openid' },
        { authorization: basic(TEST_CLIENT.client_id, TEST_CLIENT.client_secret) },
      );
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error).toBe('unsupported_grant_type');
      expect(body.access_token).toBeUndefined();
    },
  );

  it('grant_type=client_credentials is refused to a client not registered for it (test/oidc/clientCredentials.test.ts has the rest)', async () => {
    const res = await post(
      meta.token_endpoint as string,
      { grant_type: 'client_credentials', scope: 'openid' },
      { authorization: basic(TEST_CLIENT.client_id, TEST_CLIENT.client_secret) },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'requested grant type is not allowed for this client',
    });
  });

  it('[checklist 34] discovery lists no `none` algorithm anywhere', () => {
    const algLists = Object.entries(meta).filter(([k]) => k.endsWith('_alg_values_supported'));
    expect(algLists.map(([k]) => k)).toEqual(
      expect.arrayContaining([
        'id_token_signing_alg_values_supported',
        'token_endpoint_auth_signing_alg_values_supported',
      ]),
    );
    for (const [key, values] of algLists) {
      expect(Array.isArray(values), key).toBe(true);
      for (const alg of values as string[]) expect(alg.toLowerCase(), key).not.toBe('none');
      for (const alg of values as string[]) expect(alg, key).not.toMatch(/^HS/);
    }
    expect(meta.id_token_signing_alg_values_supported).toContain('ES256');
  });

  it('[checklist 34] the JWKS publishes public keys only, each with a kid, ES256 among them', async () => {
    const res = await t.fetch(meta.jwks_uri as string);
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']) {
        expect(key[secret], `${key.kid}.${secret}`).toBeUndefined();
      }
      expect(typeof key.kid).toBe('string');
      expect(key.kty).not.toBe('oct');
    }
    expect(keys.some((k) => k.kty === 'EC' && k.crv === 'P-256' && (k.alg === 'ES256' || !k.alg))).toBe(true);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(keys.length);
  });

  it('keys that only verify (next, previous) are published with key_ops alone, signing keys with use alone (RFC 7517 §4.3)', async () => {
    const { keys } = (await (await t.fetch(meta.jwks_uri as string)).json()) as {
      keys: { kid: string; use?: string; key_ops?: string[] }[];
    };
    const verifyOnly = keys.filter((k) => k.key_ops !== undefined);
    expect(verifyOnly.length).toBeGreaterThan(0); // the first start publishes a next ES256 key
    for (const k of verifyOnly) {
      expect(k.key_ops, k.kid).toEqual(['verify']);
      expect(k.use, k.kid).toBeUndefined();
    }
    for (const k of keys.filter((x) => x.key_ops === undefined)) expect(k.use, k.kid).toBe('sig');
  });
});
