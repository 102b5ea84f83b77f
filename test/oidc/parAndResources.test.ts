import * as jose from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authRequest,
  demoPerson,
  loginToCallback,
  openLoginPage,
  type Person,
  registerAndActivate,
  registerClient,
  registerTestClient,
  rpConfig,
  secretOf,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// startTestIdp sets LOSS_REPORT_URL and REPLACEMENT_URL; the services' APIs are their resource indicators.
const LOSS_API = 'http://127.0.0.1:1/loss/api';
const REPLACEMENT_API = 'http://127.0.0.1:1/replacement/api';
const RES_CLIENT = 'res-rp';
const RES_REDIRECT = 'http://127.0.0.1:9/res-cb';

describe('pushed authorization requests and resource indicators', () => {
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;
  let resConfig: oidc.Configuration;
  let jwks: ReturnType<typeof jose.createLocalJWKSet>;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t);
    await registerClient(t, {
      client_id: RES_CLIENT,
      redirect_uris: [RES_REDIRECT],
      scope: 'openid profile civil:loss_report',
      allowed_resources: [LOSS_API],
    });
    person = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
    await registerAndActivate(t, person);
    config = await rpConfig(t);
    resConfig = await rpConfig(t, RES_CLIENT, secretOf(RES_CLIENT));
    jwks = jose.createLocalJWKSet(await (await t.fetch(`${t.issuer}/jwks`)).json());
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The authorization error sent back to `redirectUri`. */
  async function authError(url: URL, redirectUri: string) {
    const res = await t.fetch(url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? 'http://no-redirect/');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    return location.searchParams;
  }

  it('PAR: a pushed request (client authenticated) leads to a login through request_uri', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: TEST_CLIENT.redirect_uri,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(url.searchParams.get('redirect_uri')).toBeNull();
    expect(url.searchParams.get('code_challenge')).toBeNull();

    const { callback } = await loginToCallback(t, await openLoginPage(url, t), person);
    expect(callback.searchParams.get('iss')).toBe(t.issuer);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    expect(tokens.claims()?.acr).toBe('urn:hawiya:acr:standard');

    // A request_uri is used once.
    const again = await t.fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
  });

  it('PAR: a request_uri pushed by one client cannot be used by another', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: TEST_CLIENT.redirect_uri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    url.searchParams.set('client_id', RES_CLIENT);
    const res = await t.fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('[checklist 25] PAR: a pushed request with an unregistered redirect_uri is refused at the PAR endpoint', async () => {
    await expect(
      oidc.buildAuthorizationUrlWithPAR(config, {
        redirect_uri: `${TEST_CLIENT.redirect_uri}/`,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      }),
    ).rejects.toMatchObject({
      error: expect.stringMatching(/^invalid_(redirect_uri|request)$/),
      error_description: expect.stringMatching(/redirect_uri/),
    });
  });

  it('[checklist 26] PAR: a pushed request without PKCE is refused', async () => {
    await expect(
      oidc.buildAuthorizationUrlWithPAR(config, { redirect_uri: TEST_CLIENT.redirect_uri, scope: 'openid' }),
    ).rejects.toMatchObject({ error: 'invalid_request' });
  });

  it('resource indicator: an allowed API gets a JWT access token signed ES256 whose audience is that API', async () => {
    const req = await authRequest(t, {
      client_id: RES_CLIENT,
      redirect_uri: RES_REDIRECT,
      scope: 'openid profile civil:loss_report',
      resource: LOSS_API,
    });
    const { callback, consentPages } = await loginToCallback(t, await openLoginPage(req.url, t), person, {
      redirectUri: RES_REDIRECT,
    });
    expect(consentPages[0]).toContain('الإبلاغ عن الوثائق المفقودة نيابة عنك');
    const tokens = await oidc.authorizationCodeGrant(
      resConfig,
      callback,
      { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce },
      { resource: LOSS_API },
    );
    const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks, {
      issuer: t.issuer,
      audience: LOSS_API,
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload.aud).toBe(LOSS_API);
    expect(payload.client_id).toBe(RES_CLIENT);
    expect(String(payload.scope).split(' ')).toContain('civil:loss_report');
    expect(String(payload.scope).split(' ')).not.toContain('profile');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(600);
    expect(payload.sub).toBe(tokens.claims()?.sub);
  });

  it.each([
    ['another service the client is not allowed', RES_CLIENT, RES_REDIRECT, REPLACEMENT_API],
    ['an unknown API', RES_CLIENT, RES_REDIRECT, 'https://attacker.example/api'],
    ['the allowed API of another client', TEST_CLIENT.client_id, TEST_CLIENT.redirect_uri, LOSS_API],
  ])('resource indicator: %s gets invalid_target', async (_label, clientId, redirectUri, resource) => {
    const req = await authRequest(t, {
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: 'openid',
      resource,
    });
    const params = await authError(req.url, redirectUri);
    expect(params.get('error')).toBe('invalid_target');
    expect(params.get('iss')).toBe(t.issuer);
  });

  it('resource indicator: the token endpoint refuses a resource that was not granted', async () => {
    const req = await authRequest(t, {
      client_id: RES_CLIENT,
      redirect_uri: RES_REDIRECT,
      scope: 'openid civil:loss_report',
      resource: LOSS_API,
    });
    const { callback } = await loginToCallback(t, await openLoginPage(req.url, t), person, {
      redirectUri: RES_REDIRECT,
    });
    await expect(
      oidc.authorizationCodeGrant(
        resConfig,
        callback,
        { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce },
        { resource: REPLACEMENT_API },
      ),
    ).rejects.toMatchObject({ error: 'invalid_target' });
  });
});
