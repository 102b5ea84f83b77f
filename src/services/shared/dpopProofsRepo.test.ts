import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../../test/helpers/testDb.js';
import { createDb } from '../../db/createDb.js';
import { type ApiAuth, ApiAuthRefused, createApiAuth } from './apiAuth.js';
import { createDpopProofs } from './dpopProofsRepo.js';

const ISSUER = 'https://id.example';
const API = 'https://loss.example/api';
const URL_ = `${API}/reports`;

// Checklist 35 (DPoP-bound tokens) with RFC 9449 §11.1: a proof is accepted once, by the whole deployment,
// not once per process: two API instances with their own connection pools on one database.
describe.each(ENGINES)(
  '[checklist 35] a DPoP proof is accepted once across service instances (%s)',
  (engine) => {
    let tdb: TestDb;
    let otherPool: ReturnType<typeof createDb>;
    let now = Date.now();
    let first: ApiAuth;
    let second: ApiAuth;
    let idpKey: CryptoKey;
    let holder: CryptoKeyPair;
    let holderJwk: Record<string, unknown>;

    beforeAll(async () => {
      tdb = await createTestDb(engine);
      otherPool = createDb(tdb.url);
      const pair = await generateKeyPair('ES256');
      idpKey = pair.privateKey;
      const jwks = createLocalJWKSet({
        keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }],
      });
      const instance = (db: ReturnType<typeof createDb>) =>
        createApiAuth({
          issuer: ISSUER,
          audience: API,
          jwks: async () => jwks,
          now: () => now,
          proofs: createDpopProofs({ db, clock: { now: () => now } }),
        });
      first = instance(tdb.db);
      second = instance(otherPool);
      holder = await generateKeyPair('ES256', { extractable: true });
      holderJwk = { ...(await exportJWK(holder.publicKey)) };
    });
    afterAll(async () => {
      await otherPool?.destroy();
      await tdb?.destroy();
    });

    const boundToken = async () =>
      new SignJWT({
        sub: 'person-1',
        client_id: 'loss-report',
        scope: 'civil:loss_report',
        cnf: { jkt: await calculateJwkThumbprint(holderJwk) },
      })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience(API)
        .setIssuedAt(Math.floor(now / 1000) - 5)
        .setExpirationTime(Math.floor(now / 1000) + 300)
        .sign(idpKey);
    const proofFor = (token: string) =>
      new SignJWT({ htm: 'GET', htu: URL_, ath: createHash('sha256').update(token).digest('base64url') })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: holderJwk })
        .setJti(crypto.randomUUID())
        .setIssuedAt(Math.floor(now / 1000))
        .sign(holder.privateKey);
    const call = (auth: ApiAuth, token: string, dpop: string) =>
      auth.authenticate(
        { authorization: `DPoP ${token}`, dpop, method: 'GET', url: URL_ },
        'civil:loss_report',
      );

    it('the proof one instance accepted is refused by the other, and by itself', async () => {
      const token = await boundToken();
      const proof = await proofFor(token);
      await expect(call(first, token, proof)).resolves.toMatchObject({ sub: 'person-1' });
      const replayed = await call(second, token, proof).catch((e: unknown) => e);
      expect(replayed).toBeInstanceOf(ApiAuthRefused);
      expect((replayed as ApiAuthRefused).error).toBe('invalid_dpop_proof');
      await expect(call(first, token, proof)).rejects.toBeInstanceOf(ApiAuthRefused);
      // a fresh proof for the same request goes through on either
      await expect(call(second, token, await proofFor(token))).resolves.toMatchObject({ sub: 'person-1' });
    });

    it('the same proof sent to both at once is accepted by exactly one', async () => {
      const token = await boundToken();
      const proof = await proofFor(token);
      const results = await Promise.allSettled([call(first, token, proof), call(second, token, proof)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it("the services' sweep deletes proofs only once they are too old to be presented again", async () => {
      const proofs = createDpopProofs({ db: tdb.db, clock: { now: () => now } });
      expect(await proofs.purgeExpired()).toBe(0);
      now += 71_000; // past the 60 s a proof is accepted, and the 10 s kept beyond
      expect(await proofs.purgeExpired()).toBeGreaterThanOrEqual(3);
      expect(Number((await tdb.db('service_dpop_proofs').count({ n: '*' }).first())?.n)).toBe(0);
    });
  },
);
