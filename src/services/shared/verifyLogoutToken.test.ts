import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  type JWTVerifyGetKey,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingNotifier } from '../../../test/helpers/recordingNotifier.js';
import { createTestDb, type TestDb } from '../../../test/helpers/testDb.js';
import { createLogger } from '../../shared/logger.js';
import { lossReportService } from '../loss-report/lossReportService.js';
import { createRpApp } from './createRpApp.js';
import { verifyLogoutToken } from './verifyLogoutToken.js';

const ISSUER = 'http://127.0.0.1:9/hawiya';
const CLIENT_ID = 'loss-report';
const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let idpKey: Key;
let otherKey: Key;
let jwksServer: Server;
let jwks: JWTVerifyGetKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  idpKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwks = createRemoteJWKSet(new URL(`http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`));
});

afterAll(async () => {
  jwksServer.closeAllConnections();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

function sign(
  claims: JWTPayload,
  o: { key?: Key; iss?: string; aud?: string; iatSecondsAgo?: number; typ?: string } = {},
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000) - (o.iatSecondsAgo ?? 0);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1', typ: o.typ ?? 'logout+jwt' })
    .setIssuer(o.iss ?? ISSUER)
    .setAudience(o.aud ?? CLIENT_ID)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 120)
    .setJti(crypto.randomUUID())
    .sign(o.key ?? idpKey);
}

const good = { sub: 'citizen-1', sid: 'idp-session-1', events: { [EVENT]: {} } };

const bad: [string, () => Promise<string>][] = [
  ['a wrong audience', () => sign(good, { aud: 'replacement' })],
  ['a wrong issuer', () => sign(good, { iss: 'http://127.0.0.1:9/evil' })],
  ['a nonce', () => sign({ ...good, nonce: 'n-0S6_WzA2Mj' })],
  ['no events claim', () => sign({ sub: 'citizen-1', sid: 'idp-session-1' })],
  ['events without the back-channel logout event', () => sign({ ...good, events: { 'urn:other': {} } })],
  ['neither sid nor sub', () => sign({ events: { [EVENT]: {} } })],
  ['an iat older than 5 minutes (expired)', () => sign(good, { iatSecondsAgo: 10 * 60 })],
  ['a signature by another key', () => sign(good, { key: otherKey })],
  ['another token type (an access token)', () => sign(good, { typ: 'at+jwt' })],
  [
    '[checklist 34] alg none',
    async () =>
      new UnsecuredJWT(good)
        .setIssuer(ISSUER)
        .setAudience(CLIENT_ID)
        .setIssuedAt()
        .setExpirationTime('2m')
        .encode(),
  ],
  [
    '[checklist 34] an HMAC signature keyed by a guessable secret',
    () =>
      new SignJWT(good)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(CLIENT_ID)
        .setIssuedAt()
        .sign(new TextEncoder().encode('dev-only-client-secret-change-me-0123456789abcdef')),
  ],
  ['garbage', async () => 'not.a.jwt'],
];

describe('verifyLogoutToken', () => {
  it('accepts a token from the IdP and names the session and subject', async () => {
    const token = await sign(good);
    await expect(verifyLogoutToken({ token, issuer: ISSUER, clientId: CLIENT_ID, jwks })).resolves.toEqual({
      sid: 'idp-session-1',
      sub: 'citizen-1',
    });
  });

  it('accepts a token with only sub', async () => {
    const token = await sign({ sub: 'citizen-1', events: { [EVENT]: {} } });
    await expect(verifyLogoutToken({ token, issuer: ISSUER, clientId: CLIENT_ID, jwks })).resolves.toEqual({
      sub: 'citizen-1',
    });
  });

  it.each(bad)('rejects a token with %s', async (_name, make) => {
    const token = await make();
    await expect(
      verifyLogoutToken({ token, issuer: ISSUER, clientId: CLIENT_ID, jwks }),
    ).rejects.toMatchObject({
      code: 'invalid_logout_token',
    });
  });
});

describe('POST /backchannel-logout', () => {
  let server: Server;
  let base: string;
  let rp: ReturnType<typeof createRpApp>;
  let tdb: TestDb;

  beforeAll(async () => {
    tdb = await createTestDb('sqlite');
    rp = createRpApp({
      service: lossReportService,
      db: tdb.db,
      baseUrl: 'http://localhost:3001',
      issuer: ISSUER,
      clientSecret: 'x'.repeat(32),
      logger: createLogger({ level: 'silent' }),
      notifier: recordingNotifier().notifier,
      idp: { configuration: () => Promise.reject(new Error('unused')), jwks: async () => jwks },
    });
    server = createServer(rp.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await tdb.destroy();
  });

  const post = (token: string) =>
    fetch(`${base}/backchannel-logout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: token }),
    });

  const session = (sid: string, sub = 'citizen-1') =>
    rp.sessions.create({
      idToken: 'id.token.x',
      sub,
      sid,
      nameAr: 'أ',
      nameEn: 'A',
      nationalId: '1234567008',
    });

  it('a valid token ends the local session of that Hawiya session only, with 200 and no-store', async () => {
    const mine = await session('idp-session-1');
    const other = await session('idp-session-2');
    const res = await post(await sign(good));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await rp.sessions.get(mine.id)).toBeUndefined();
    expect(await rp.sessions.get(other.id)).toBeDefined();
  });

  it('a token with only sub ends every session of that citizen', async () => {
    const a = await session('s-a', 'citizen-9');
    const b = await session('s-b', 'citizen-9');
    const c = await session('s-c', 'citizen-10');
    const res = await post(await sign({ sub: 'citizen-9', events: { [EVENT]: {} } }));
    expect(res.status).toBe(200);
    expect(await rp.sessions.get(a.id)).toBeUndefined();
    expect(await rp.sessions.get(b.id)).toBeUndefined();
    expect(await rp.sessions.get(c.id)).toBeDefined();
  });

  it.each(bad)(
    'answers 400 invalid_request to a token with %s and keeps the session',
    async (_name, make) => {
      const mine = await session('idp-session-1');
      const res = await post(await make());
      expect(res.status).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ error: 'invalid_request' });
      expect(await rp.sessions.get(mine.id)).toBeDefined();
    },
  );

  it('answers 400 when logout_token is missing', async () => {
    const res = await fetch(`${base}/backchannel-logout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'other=1',
    });
    expect(res.status).toBe(400);
  });
});
