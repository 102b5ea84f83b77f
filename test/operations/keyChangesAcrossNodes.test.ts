import { createLocalJWKSet, decodeProtectedHeader, type JWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// Two IdP nodes (real servers on two ports, in this test process) on one PostgreSQL database, with the
// key poll set to an hour: whatever the second node learns of a rotation it learns from the NOTIFY that
// the CLI's transaction sends when it commits, through its LISTEN connection.

const RESOURCE = 'http://localhost:3001/api';

/** A JWT access token signed by the node, with whatever key it holds as current (oidc-provider's own model). */
async function signedBy(t: TestIdp): Promise<string> {
  const provider = t.idp.provider();
  const client = await provider.Client.find('loss-report');
  const token = new provider.AccessToken({
    accountId: 'acct-notify',
    client,
    scope: 'civil:loss_report',
    resourceServer: {
      audience: RESOURCE,
      scope: 'civil:loss_report',
      accessTokenFormat: 'jwt',
      accessTokenTTL: 600,
      jwt: { sign: { alg: 'ES256' } },
    },
  } as unknown as ConstructorParameters<typeof provider.AccessToken>[0]);
  return token.save();
}

const jwksOf = async (t: TestIdp) => (await (await t.fetch(`${t.issuer}/jwks`)).json()) as { keys: JWK[] };

async function waitFor(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('key changes reach every node at once (PostgreSQL LISTEN/NOTIFY)', () => {
  let a: TestIdp;
  let b: TestIdp;
  beforeAll(async () => {
    a = await startTestIdp({
      engine: 'pg',
      env: { KEYS_POLL_SECONDS: '3600', KEYS_MIN_PUBLISH_SECONDS: '0' },
    });
    b = await startTestIdp({
      engine: 'pg',
      databaseUrl: () => a.env.DATABASE_URL as string,
      env: { KEYS_DIR: a.env.KEYS_DIR as string, KEYS_POLL_SECONDS: '3600', KEYS_MIN_PUBLISH_SECONDS: '0' },
    });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const current = async () =>
    (await a.idp.keyStore.repo.list()).find((k) => k.alg === 'ES256' && k.state === 'current')?.kid;

  it('after "keys rotate --now" (the CLI\'s code path) the other node publishes and signs with the new key', async () => {
    const before = await current();
    expect(decodeProtectedHeader(await signedBy(b)).kid).toBe(before);

    expect(await runCli(['node', 'hawiya', 'keys', 'rotate', '--now', '--json'], a.env)).toBe(0);
    const after = await current();
    expect(after).not.toBe(before);

    // Waiting on the condition, not on a time: the poll would take an hour.
    await waitFor(
      'node B signs with the new key',
      async () => decodeProtectedHeader(await signedBy(b)).kid === after,
    );
    const jwksB = await jwksOf(b);
    expect(jwksB.keys[0]?.kid).toBe(after);
    // The compromised key left node B's JWKS with it.
    expect(jwksB.keys.map((k) => k.kid)).not.toContain(before);
    // Node A (also notified) and node B each verify what the other signs.
    await waitFor(
      'node A signs with the new key',
      async () => decodeProtectedHeader(await signedBy(a)).kid === after,
    );
    for (const [signer, verifier] of [
      [a, b],
      [b, a],
    ] as const) {
      await jwtVerify(await signedBy(signer), createLocalJWKSet(await jwksOf(verifier)), {
        audience: RESOURCE,
      });
    }
  });

  it('a routine rotation and a retirement reach the other node the same way', async () => {
    const next = (await a.idp.keyStore.repo.list()).find((k) => k.alg === 'ES256' && k.state === 'next')?.kid;
    expect(await runCli(['node', 'hawiya', 'keys', 'rotate'], a.env)).toBe(0);
    await waitFor(
      'node B signs with the promoted key',
      async () => decodeProtectedHeader(await signedBy(b)).kid === next,
    );
    const previous = (await a.idp.keyStore.repo.list()).find((k) => k.state === 'previous')?.kid as string;
    expect((await jwksOf(b)).keys.map((k) => k.kid)).toContain(previous);
    expect(await runCli(['node', 'hawiya', 'keys', 'retire', previous], a.env)).toBe(0);
    await waitFor('node B unpublishes the retired key', async () =>
      (await jwksOf(b)).keys.every((k) => k.kid !== previous),
    );
  });
});
