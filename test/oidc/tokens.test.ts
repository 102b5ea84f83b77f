import * as jose from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeLogin,
  demoPerson,
  exchange,
  type Person,
  registerAndActivate,
  registerClient,
  registerTestClient,
  rpConfig,
  secretOf,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { oidcRowId } from '../helpers/oidcRows.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

// Codes, tokens and what the token endpoint does with them, after real logins (password + SMS code).
describe('authorization codes, tokens, refresh, introspection and revocation', () => {
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;
  let meta: Record<string, string>;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t);
    await registerClient(t, { client_id: 'other-rp', redirect_uris: ['http://127.0.0.1:9/other-cb'] });
    person = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
    await registerAndActivate(t, person);
    config = await rpConfig(t);
    meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A raw call to a client-authenticated endpoint, so the error codes are seen as sent. */
  async function call(
    endpoint: 'token_endpoint' | 'introspection_endpoint' | 'revocation_endpoint',
    body: Record<string, string>,
    client: { id: string; secret: string } = { id: TEST_CLIENT.client_id, secret: TEST_CLIENT.client_secret },
  ) {
    const res = await t.fetch(meta[endpoint] as string, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(client.id, client.secret),
      },
      body: new URLSearchParams(body).toString(),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  const userinfoStatus = async (accessToken: string) =>
    (await t.fetch(meta.userinfo_endpoint as string, { headers: { authorization: `Bearer ${accessToken}` } }))
      .status;

  async function login(params: Record<string, string> = {}) {
    const started = await startLogin(t, config, params);
    const callback = await completeLogin(t, started, person);
    return { started, callback };
  }

  it('[checklist 30][checklist 34][checklist 16] a login returns iss, an ES256 ID token from /jwks, and truthful acr/amr/auth_time', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { started, callback } = await login();
    const after = Math.ceil(Date.now() / 1000);
    expect(callback.searchParams.get('iss')).toBe(t.issuer);
    const tokens = await exchange(config, started, callback);
    const idToken = tokens.id_token ?? '';
    const header = jose.decodeProtectedHeader(idToken);
    expect(header.alg).toBe('ES256');
    expect(header.jku).toBeUndefined();
    expect(header.jwk).toBeUndefined();
    const jwks = await (await t.fetch(meta.jwks_uri as string)).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    const { payload } = await jose.jwtVerify(idToken, jose.createLocalJWKSet(jwks), {
      issuer: t.issuer,
      audience: TEST_CLIENT.client_id,
      algorithms: ['ES256'],
    });
    expect(payload.acr).toBe('urn:hawiya:acr:standard');
    expect(payload.amr).toEqual(['pwd', 'sms', 'mfa']);
    expect(payload.auth_time).toBeGreaterThanOrEqual(before - 1);
    expect(payload.auth_time).toBeLessThanOrEqual(after);
    expect(payload.nonce).toBe(started.nonce);
  });

  it('[checklist 34] an ID token signed with alg none, or by a key named in a jku/jwk header, is not what Hawiya signs', async () => {
    // What an attacker would forge: the same claims, unsigned. A relying party that checks against /jwks
    // with Hawiya's algorithms refuses it, and Hawiya never emits such a token itself.
    const { started, callback } = await login();
    const tokens = await exchange(config, started, callback);
    const claims = jose.decodeJwt(tokens.id_token ?? '');
    const unsigned = new jose.UnsecuredJWT(claims).encode();
    const jwks = jose.createLocalJWKSet(await (await t.fetch(meta.jwks_uri as string)).json());
    await expect(jose.jwtVerify(unsigned, jwks, { algorithms: ['ES256'] })).rejects.toThrow();
    const { privateKey, publicKey } = await jose.generateKeyPair('ES256');
    const forged = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', jwk: await jose.exportJWK(publicKey), kid: 'attacker' })
      .sign(privateKey);
    await expect(jose.jwtVerify(forged, jwks, { algorithms: ['ES256'] })).rejects.toThrow();
  });

  it('[checklist 26] a wrong code_verifier at the token endpoint gets invalid_grant', async () => {
    const { callback } = await login();
    const res = await call('token_endpoint', {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: TEST_CLIENT.redirect_uri,
      code_verifier: oidc.randomPKCECodeVerifier(),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
    expect(res.body.access_token).toBeUndefined();
  });

  it('[checklist 26] a token request with no code_verifier is refused', async () => {
    const { callback } = await login();
    const res = await call('token_endpoint', {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: TEST_CLIENT.redirect_uri,
    });
    expect(res.status).toBe(400);
    expect(['invalid_grant', 'invalid_request']).toContain(res.body.error);
    expect(res.body.access_token).toBeUndefined();
  });

  it('[checklist 27] a stored authorization code lives at most 60 s', async () => {
    const { callback } = await login();
    const code = callback.searchParams.get('code') ?? '';
    const row = await t.idp
      .db('oidc_payloads')
      .where({ type: 'AuthorizationCode', id: oidcRowId(t, code) })
      .first();
    expect(row).toBeDefined();
    const left = Number(row.expires_at) - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60_000);
    expect(JSON.parse(row.payload).exp - JSON.parse(row.payload).iat).toBeLessThanOrEqual(60);
  });

  it('[checklist 27] a code works once; the second exchange gets invalid_grant and revokes the tokens from the first', async () => {
    const { started, callback } = await login();
    const code = callback.searchParams.get('code') ?? '';
    const body = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: TEST_CLIENT.redirect_uri,
      code_verifier: started.verifier,
    };
    const first = await call('token_endpoint', body);
    expect(first.status).toBe(200);
    const accessToken = first.body.access_token as string;
    const refreshToken = first.body.refresh_token as string | undefined;
    expect(await userinfoStatus(accessToken)).toBe(200);

    const second = await call('token_endpoint', body);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect(second.body.access_token).toBeUndefined();

    expect(await userinfoStatus(accessToken)).toBe(401);
    expect((await call('introspection_endpoint', { token: accessToken })).body.active).toBe(false);
    if (refreshToken) {
      const refreshed = await call('token_endpoint', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });
      expect(refreshed.body.error).toBe('invalid_grant');
    }
  });

  it('[checklist 27] a code cannot be redeemed by another client, nor with another redirect_uri', async () => {
    const { started, callback } = await login();
    const code = callback.searchParams.get('code') ?? '';
    const byOther = await call(
      'token_endpoint',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: TEST_CLIENT.redirect_uri,
        code_verifier: started.verifier,
      },
      { id: 'other-rp', secret: secretOf('other-rp') },
    );
    expect(byOther.body.error).toBe('invalid_grant');
    const wrongUri = await call('token_endpoint', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:9/other-cb',
      code_verifier: started.verifier,
    });
    expect(wrongUri.body.error).toBe('invalid_grant');
  });

  it('[checklist 29] refresh tokens rotate; replaying a used one gets invalid_grant and revokes the family', async () => {
    const { started, callback } = await login({
      scope: 'openid offline_access profile',
      prompt: 'consent',
    });
    const tokens = await exchange(config, started, callback);
    expect(tokens.scope?.split(' ')).toContain('offline_access');
    const rt1 = tokens.refresh_token ?? '';
    expect(rt1).not.toBe('');

    const r2 = await call('token_endpoint', { grant_type: 'refresh_token', refresh_token: rt1 });
    expect(r2.status).toBe(200);
    const rt2 = r2.body.refresh_token as string;
    expect(rt2).toBeTruthy();
    expect(rt2).not.toBe(rt1);
    const r3 = await call('token_endpoint', { grant_type: 'refresh_token', refresh_token: rt2 });
    expect(r3.status).toBe(200);
    const rt3 = r3.body.refresh_token as string;
    expect(rt3).not.toBe(rt2);
    expect(await userinfoStatus(r3.body.access_token as string)).toBe(200);

    // Absolute expiry: a rotated token never outlives the first of its family.
    const expiry = async (id: string) =>
      JSON.parse(
        (
          await t.idp
            .db('oidc_payloads')
            .where({ type: 'RefreshToken', id: oidcRowId(t, id) })
            .first()
        ).payload,
      ).exp as number;
    const first = await expiry(rt1);
    expect(await expiry(rt3)).toBe(first);
    expect(first - Date.now() / 1000).toBeLessThanOrEqual(30 * 24 * 3600);

    const replay = await call('token_endpoint', { grant_type: 'refresh_token', refresh_token: rt1 });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');

    const afterReplay = await call('token_endpoint', { grant_type: 'refresh_token', refresh_token: rt3 });
    expect(afterReplay.body.error).toBe('invalid_grant');
    expect(await userinfoStatus(r3.body.access_token as string)).toBe(401);
  });

  it('[checklist 29] a refresh token is bound to its client', async () => {
    const { started, callback } = await login({ scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await exchange(config, started, callback);
    const stolen = await call(
      'token_endpoint',
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' },
      { id: 'other-rp', secret: secretOf('other-rp') },
    );
    expect(stolen.body.error).toBe('invalid_grant');
    const own = await call('token_endpoint', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(own.status).toBe(200);
  });

  it('introspection tells the client about its own tokens, and nothing to another client', async () => {
    const { started, callback } = await login({ scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await exchange(config, started, callback);
    const sub = tokens.claims()?.sub;

    const viaLibrary = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(viaLibrary.active).toBe(true);
    expect(viaLibrary.client_id).toBe(TEST_CLIENT.client_id);
    expect(viaLibrary.sub).toBe(sub);
    expect(viaLibrary.iss).toBe(t.issuer);
    const rt = await call('introspection_endpoint', { token: tokens.refresh_token ?? '' });
    expect(rt.body.active).toBe(true);
    expect(rt.body.client_id).toBe(TEST_CLIENT.client_id);

    const other = await call(
      'introspection_endpoint',
      { token: tokens.access_token },
      { id: 'other-rp', secret: secretOf('other-rp') },
    );
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ active: false });
  });

  it('revocation ends the client own tokens; another client cannot revoke them', async () => {
    const { started, callback } = await login({ scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await exchange(config, started, callback);

    const other = await call(
      'revocation_endpoint',
      { token: tokens.access_token },
      { id: 'other-rp', secret: secretOf('other-rp') },
    );
    expect(other.status).toBe(400);
    expect(await userinfoStatus(tokens.access_token)).toBe(200);

    await oidc.tokenRevocation(config, tokens.access_token);
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
    expect((await call('introspection_endpoint', { token: tokens.access_token })).body.active).toBe(false);

    // Revoking the access token ended the grant, so its refresh token goes too.
    const refreshed = await call('token_endpoint', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('revoking a refresh token stops it from being used', async () => {
    const { started, callback } = await login({ scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await exchange(config, started, callback);
    const revoked = await call('revocation_endpoint', {
      token: tokens.refresh_token ?? '',
      token_type_hint: 'refresh_token',
    });
    expect(revoked.status).toBe(200);
    const refreshed = await call('token_endpoint', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(refreshed.body.error).toBe('invalid_grant');
    expect((await call('introspection_endpoint', { token: tokens.refresh_token ?? '' })).body.active).toBe(
      false,
    );
  });
});
