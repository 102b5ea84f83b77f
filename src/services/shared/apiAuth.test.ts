import { createHash } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiAuth, ApiAuthRefused, createApiAuth } from './apiAuth.js';

const ISSUER = 'https://id.example';
const API = 'https://loss.example/api';
const URL_ = `${API}/reports`;
type Key = CryptoKey;

let idpKey: Key;
let otherKey: Key;
let auth: ApiAuth;
let holder: CryptoKeyPair;
let holderJwk: Record<string, unknown>;
let jkt: string;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  idpKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const jwks = createLocalJWKSet({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }],
  });
  // The replay memory as the database keeps it (dpopProofsRepo.test.ts), here a set.
  const used = new Set<string>();
  const proofs = {
    firstUse: async (audience: string, jti: string) =>
      !used.has(`${audience} ${jti}`) && Boolean(used.add(`${audience} ${jti}`)),
  };
  auth = createApiAuth({ issuer: ISSUER, audience: API, jwks: async () => jwks, proofs });
  holder = await generateKeyPair('ES256', { extractable: true });
  holderJwk = { ...(await exportJWK(holder.publicKey)) };
  const { calculateJwkThumbprint } = await import('jose');
  jkt = await calculateJwkThumbprint(holderJwk);
});

const person = {
  sub: 'person-1',
  client_id: 'loss-report',
  scope: 'civil:loss_report',
  national_id: '1045238712',
};

function token(
  claims: JWTPayload = person,
  o: { key?: Key; iss?: string; aud?: string; exp?: number; typ?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: o.typ ?? 'at+jwt' })
    .setIssuer(o.iss ?? ISSUER)
    .setAudience(o.aud ?? API)
    .setIssuedAt(now - 5)
    .setExpirationTime(o.exp ?? now + 300)
    .setJti(crypto.randomUUID())
    .sign(o.key ?? idpKey);
}

function proof(accessToken: string, o: { htm?: string; htu?: string; key?: CryptoKey; jwk?: object } = {}) {
  return new SignJWT({
    htm: o.htm ?? 'GET',
    htu: o.htu ?? URL_,
    ath: createHash('sha256').update(accessToken).digest('base64url'),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: o.jwk ?? holderJwk })
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .sign(o.key ?? holder.privateKey);
}

const call = (authorization: string | undefined, dpop?: string, scope = 'civil:loss_report') =>
  auth.authenticate({ authorization, dpop, method: 'GET', url: URL_ }, scope);

async function refusal(p: Promise<unknown>): Promise<{ status: number; challenge: string }> {
  const err = await p.then(
    () => {
      throw new Error('accepted');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiAuthRefused);
  const r = err as ApiAuthRefused;
  return { status: r.status, challenge: r.challenge('loss.example') };
}

describe('access tokens for a service API', () => {
  it('accepts a Hawiya token for this API and names the caller with the claims it carries', async () => {
    await expect(call(`Bearer ${await token()}`)).resolves.toMatchObject({
      sub: 'person-1',
      clientId: 'loss-report',
      nationalId: '1045238712',
    });
  });

  it('no token: 401 with a bare Bearer challenge (RFC 6750 section 3.1)', async () => {
    expect(await refusal(call(undefined))).toEqual({ status: 401, challenge: 'Bearer realm="loss.example"' });
  });

  it.each([
    ['expired', () => token(person, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['for another audience', () => token(person, { aud: 'https://replacement.example/api' })],
    ['from another issuer', () => token(person, { iss: 'https://evil.example' })],
    ['signed by another key', () => token(person, { key: otherKey })],
    ['an ID token, not an access token', () => token(person, { typ: 'JWT' })],
    [
      '[checklist 34] alg none',
      async () =>
        new UnsecuredJWT(person).setIssuer(ISSUER).setAudience(API).setExpirationTime('5m').encode(),
    ],
    [
      '[checklist 34] an HMAC signature',
      () =>
        new SignJWT(person)
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
          .setIssuer(ISSUER)
          .setAudience(API)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('a-guessable-client-secret-0123456789')),
    ],
  ])('a token %s: 401 invalid_token', async (_label, make) => {
    expect(await refusal(call(`Bearer ${await make()}`))).toEqual({
      status: 401,
      challenge: 'Bearer realm="loss.example", error="invalid_token"',
    });
  });

  it('a token without the scope: 403 insufficient_scope naming the scope', async () => {
    const machine = await token({ sub: 'bank-1', client_id: 'bank-1', scope: 'civil:loss_register.read' });
    expect(await refusal(call(`Bearer ${machine}`))).toEqual({
      status: 403,
      challenge: 'Bearer realm="loss.example", error="insufficient_scope", scope="civil:loss_report"',
    });
  });

  it('[review R2] a client-credentials token (sub = client_id) carrying the person scope: 403, no person behind it', async () => {
    const machine = await token({ sub: 'bank-1', client_id: 'bank-1', scope: 'civil:loss_report' });
    expect(await refusal(call(`Bearer ${machine}`))).toEqual({
      status: 403,
      challenge: 'Bearer realm="loss.example", error="insufficient_scope", scope="civil:loss_report"',
    });
    // The register's machine scope stays usable by the same kind of token.
    const register = await token({ sub: 'bank-1', client_id: 'bank-1', scope: 'civil:loss_register.read' });
    await expect(call(`Bearer ${register}`, undefined, 'civil:loss_register.read')).resolves.toMatchObject({
      sub: 'bank-1',
    });
  });

  it('a malformed Authorization header: 400 invalid_request', async () => {
    expect((await refusal(call('Basic abc'))).status).toBe(400);
  });
});

describe('DPoP-bound tokens (RFC 9449)', () => {
  const bound = () => token({ ...person, cnf: { jkt } });

  it('are accepted with the DPoP scheme and a proof by the bound key for this request', async () => {
    const t = await bound();
    await expect(call(`DPoP ${t}`, await proof(t))).resolves.toMatchObject({ sub: 'person-1' });
  });

  it('are refused as a bearer token, without a proof, with a replayed proof or one for another request', async () => {
    const t = await bound();
    const challenge = (error: string) =>
      `DPoP realm="loss.example", error="${error}", algs="ES256 PS256 EdDSA"`;
    expect((await refusal(call(`Bearer ${t}`))).challenge).toBe(challenge('invalid_token'));
    expect((await refusal(call(`DPoP ${t}`))).challenge).toBe(challenge('invalid_dpop_proof'));
    const once = await proof(t);
    await call(`DPoP ${t}`, once);
    expect((await refusal(call(`DPoP ${t}`, once))).challenge).toBe(challenge('invalid_dpop_proof'));
    for (const other of [
      await proof(t, { htm: 'POST' }),
      await proof(t, { htu: `${API}/register` }),
      await proof(await bound()),
    ]) {
      expect((await refusal(call(`DPoP ${t}`, other))).challenge).toBe(challenge('invalid_dpop_proof'));
    }
    const stranger = await generateKeyPair('ES256', { extractable: true });
    const strangerProof = await proof(t, {
      key: stranger.privateKey,
      jwk: await exportJWK(stranger.publicKey),
    });
    expect((await refusal(call(`DPoP ${t}`, strangerProof))).status).toBe(401);
  });

  it('[review smaller] a proof whose htu carries a query or fragment is compared without them (RFC 9449 section 4.3)', async () => {
    const t = await bound();
    const withQuery = await proof(t, { htu: `${URL_}?page=2#top` });
    await expect(call(`DPoP ${t}`, withQuery)).resolves.toMatchObject({ sub: 'person-1' });
    const otherPath = await proof(t, { htu: `${API}/register?x=${encodeURIComponent(URL_)}` });
    expect((await refusal(call(`DPoP ${t}`, otherPath))).status).toBe(401);
  });

  it('an unbound token sent with the DPoP scheme is refused', async () => {
    const t = await token();
    expect((await refusal(call(`DPoP ${t}`, await proof(t)))).status).toBe(401);
  });
});
