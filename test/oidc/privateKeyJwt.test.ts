import { exportJWK, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authRequest,
  demoPerson,
  idpFetch,
  loginToCallback,
  openLoginPage,
  type Person,
  registerAndActivate,
  registerClient,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

const CLIENT_ID = 'pkjwt-rp';
const REDIRECT = 'http://127.0.0.1:9/pkjwt/cb';

describe('private_key_jwt client authentication', () => {
  let t: TestIdp;
  let person: Person;
  let key: CryptoKey;
  let otherKey: CryptoKey;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    const pair = await generateKeyPair('ES256', { extractable: true });
    key = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'rp-key-1', alg: 'ES256', use: 'sig' };
    await registerClient(t, {
      client_id: CLIENT_ID,
      client_secret: undefined,
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [jwk] },
    });
    person = await demoPerson(t, '1123987453', 'sarah', 'the desert stars at midnight');
    await registerAndActivate(t, person);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function codeFor() {
    const req = await authRequest(t, { client_id: CLIENT_ID, redirect_uri: REDIRECT });
    const login = await openLoginPage(req.url.href, t);
    const { callback } = await loginToCallback(t, login, person, { redirectUri: REDIRECT, consent: 'allow' });
    return { req, callback };
  }

  it('[checklist 32] a client authenticates at the token endpoint with a JWT signed by its registered key', async () => {
    const config = await oidc.discovery(
      new URL(t.issuer),
      CLIENT_ID,
      undefined,
      oidc.PrivateKeyJwt({ key, kid: 'rp-key-1' }),
      {
        execute: [oidc.allowInsecureRequests],
        [oidc.customFetch]: idpFetch(t),
      },
    );
    const { req, callback } = await codeFor();
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: req.verifier,
      expectedState: req.state,
      expectedNonce: req.nonce,
    });
    expect(tokens.claims()?.aud).toBe(CLIENT_ID);
  });

  it('[checklist 32] a client assertion signed by another key is refused with invalid_client', async () => {
    const config = await oidc.discovery(
      new URL(t.issuer),
      CLIENT_ID,
      undefined,
      oidc.PrivateKeyJwt({ key: otherKey, kid: 'rp-key-1' }),
      {
        execute: [oidc.allowInsecureRequests],
        [oidc.customFetch]: idpFetch(t),
      },
    );
    const { req, callback } = await codeFor();
    const err = await oidc
      .authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: req.verifier,
        expectedState: req.state,
        expectedNonce: req.nonce,
      })
      .catch((e: unknown) => e);
    expect((err as { error?: string }).error).toBe('invalid_client');
  });
});
