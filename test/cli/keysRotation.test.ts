import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, type JWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningIdp, startIdp } from '../../src/createIdp.js';
import type { SigningKeyRecord } from '../../src/keys/index.js';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { createTestDb, ENGINES, type TestDb } from '../helpers/testDb.js';
import { freePort, runHawiya } from './runHawiya.js';

// Two nodes share one database, as behind a load balancer: node A reloads its keys as soon as the CLI is
// done (reloadKeys), node B only when its 2-second poll notices, so for a moment they disagree on which key
// signs. The stream proves that no request fails meanwhile: every 50 ms it fetches discovery and the JWKS
// from both nodes, has both nodes sign a JWT access token (oidc-provider's own AccessToken model, signed with
// whatever key the node holds as current), verifies each token against BOTH nodes' JWKS (a relying party
// may fetch keys from either), re-verifies tokens signed before the rotation, and sends a token request
// that must fail only as invalid_grant (never a 5xx).

const RESOURCE = 'http://localhost:3001/api';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serverSigned(idp: RunningIdp): Promise<string> {
  const provider = idp.provider();
  const client = await provider.Client.find('loss-report');
  const token = new provider.AccessToken({
    accountId: 'acct-rotation',
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

async function publishedJwks(idp: RunningIdp): Promise<{ keys: JWK[] }> {
  const disc = await fetch(`${idp.url}/.well-known/openid-configuration`);
  if (disc.status !== 200) throw new Error(`discovery answered ${disc.status}`);
  const { jwks_uri } = (await disc.json()) as { jwks_uri: string };
  const res = await fetch(`${idp.url}${new URL(jwks_uri).pathname}`);
  if (res.status !== 200) throw new Error(`jwks answered ${res.status}`);
  return (await res.json()) as { keys: JWK[] };
}

const kidsOf = (jwks: { keys: JWK[] }) => jwks.keys.map((k) => k.kid);

describe.each(ENGINES)('hawiya keys against running servers (%s)', (engine) => {
  let tdb: TestDb;
  let keysDir: string;
  let a: RunningIdp;
  let b: RunningIdp;
  let env: Record<string, string>;
  let lossReportSecret: string;
  const kek = randomBytes(32).toString('base64url');

  // In this process (the same command tree and output); the real binary is run where it matters.
  const cli = (...args: string[]) => cliInProcess(args, env);
  const keys = async (): Promise<(SigningKeyRecord & { file: string })[]> => {
    const r = await cli('keys', 'list', '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout).keys;
  };
  const kidIn = (ks: SigningKeyRecord[], alg: string, state: string) =>
    ks.filter((k) => k.alg === alg && k.state === state).map((k) => k.kid);

  beforeAll(async () => {
    tdb = await createTestDb(engine);
    keysDir = mkdtempSync(join(tmpdir(), 'hawiya-cli-keys-'));
    env = {
      DATABASE_URL: tdb.url,
      KEYS_DIR: keysDir,
      KEYS_ENCRYPTION_KEY: kek,
      KEYS_MIN_PUBLISH_SECONDS: '0',
    };
    const [portA, portB] = [await freePort(), await freePort()];
    const base = { NODE_ENV: 'test', HOST: '127.0.0.1', SEED_DEMO: 'false', ...env };
    // One public issuer, two nodes.
    const issuer = `http://127.0.0.1:${portA}`;
    const configA = loadConfig({ ...base, PORT: String(portA), ISSUER: issuer });
    lossReportSecret = configA.services['loss-report'].clientSecret;
    a = await startIdp(configA);
    b = await startIdp(loadConfig({ ...base, PORT: String(portB), ISSUER: issuer }));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await tdb?.destroy();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('[checklist 43] a rotation during a stream of requests: zero failures, old tokens still verify, states and JWKS at each step', async () => {
    const before = await keys();
    const [k1] = kidIn(before, 'ES256', 'current');
    const [k2] = kidIn(before, 'ES256', 'next');
    expect(k1 && k2).toBeTruthy();
    expect(before.every((k) => k.file === 'ok')).toBe(true);
    // next is published before it signs
    expect(kidsOf(await publishedJwks(a))).toEqual(expect.arrayContaining([k1, k2]));

    const early = await serverSigned(a);
    expect(decodeProtectedHeader(early).kid).toBe(k1);

    const failures: string[] = [];
    let rounds = 0;
    let running = true;
    const basic = `Basic ${Buffer.from(`loss-report:${lossReportSecret}`).toString('base64')}`;
    const stream = (async () => {
      while (running) {
        try {
          const [ja, jb] = await Promise.all([publishedJwks(a), publishedJwks(b)]);
          const tokens = await Promise.all([serverSigned(a), serverSigned(b)]);
          for (const token of [...tokens, early]) {
            for (const jwks of [ja, jb]) {
              await jwtVerify(token, createLocalJWKSet(jwks), { audience: RESOURCE });
            }
          }
          const res = await fetch(`${a.url}/token`, {
            method: 'POST',
            headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'authorization_code',
              code: 'not-a-code',
              redirect_uri: 'http://localhost:3001/callback',
              code_verifier: 'x'.repeat(43),
            }),
          });
          const body = (await res.json()) as { error?: string };
          if (res.status !== 400 || body.error !== 'invalid_grant') {
            failures.push(`token endpoint: ${res.status} ${body.error}`);
          }
          rounds++;
        } catch (err) {
          failures.push(String(err));
        }
        await sleep(50);
      }
    })();

    // waits on the stream's progress, not on time: a loaded machine only makes the rounds slower
    const roundsReach = async (n: number) => {
      const deadline = Date.now() + 20_000;
      while (rounds < n && failures.length === 0 && Date.now() < deadline) await sleep(20);
    };
    let atRotation = 0;
    try {
      await roundsReach(2);
      atRotation = rounds;
      const rotate = await cli('keys', 'rotate');
      expect(rotate.code, rotate.stderr).toBe(0);
      await a.reloadKeys(); // its 2-second poll may have been first

      const after = await keys();
      const [k3] = kidIn(after, 'ES256', 'next');
      expect(kidIn(after, 'ES256', 'current')).toEqual([k2]);
      expect(kidIn(after, 'ES256', 'previous')).toEqual([k1]);
      const prev = after.find((k) => k.kid === k1);
      expect(prev?.retireAfter).toBeGreaterThan(Date.now() + 70 * 60 * 1000);
      expect(kidsOf(await publishedJwks(a))).toEqual(expect.arrayContaining([k1, k2, k3]));
      expect(decodeProtectedHeader(await serverSigned(a)).kid).toBe(k2);

      // B catches up by itself (its poll), with no restart.
      const deadline = Date.now() + 5000;
      while (!kidsOf(await publishedJwks(b)).includes(k3 ?? '') && Date.now() < deadline) await sleep(100);
      expect(kidsOf(await publishedJwks(b))).toEqual(expect.arrayContaining([k1, k2, k3]));
      expect(decodeProtectedHeader(await serverSigned(b)).kid).toBe(k2);
      await roundsReach(rounds + 3);
    } finally {
      running = false;
      await stream;
    }
    expect(failures).toEqual([]);
    // requests ran before the rotation, across it and after both nodes had the new keys
    expect(atRotation).toBeGreaterThanOrEqual(2);
    expect(rounds - atRotation).toBeGreaterThanOrEqual(3);
    // signed before the rotation, still valid after it
    await jwtVerify(early, createLocalJWKSet(await publishedJwks(a)), { audience: RESOURCE });
  });

  it('keys rotate --now removes the old signing key from the JWKS at once', async () => {
    const before = await keys();
    const [old] = kidIn(before, 'ES256', 'current');
    const [oldNext] = kidIn(before, 'ES256', 'next');
    const signedByOld = await serverSigned(a);
    const r = await cli('keys', 'rotate', '--now', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { current: string; next: string; retired: string[] };
    expect(result.retired.sort()).toEqual([old, oldNext].sort());
    await a.reloadKeys(); // its 2-second poll may have been first

    const jwks = await publishedJwks(a);
    expect(kidsOf(jwks)).not.toContain(old);
    expect(kidsOf(jwks)).not.toContain(oldNext);
    expect(kidsOf(jwks)).toEqual(expect.arrayContaining([result.current, result.next]));
    await expect(jwtVerify(signedByOld, createLocalJWKSet(jwks))).rejects.toThrow();
    expect(decodeProtectedHeader(await serverSigned(a)).kid).toBe(result.current);
    const after = await keys();
    expect(kidIn(after, 'ES256', 'retired')).toEqual(expect.arrayContaining([old, oldNext]));
  });

  it('keys rotate --now --revoke deletes the sessions and tokens issued while the old key signed', async () => {
    const [current] = (await keys()).filter((k) => k.alg === 'ES256' && k.state === 'current');
    const activated = Math.floor((current?.activatedAt ?? 0) / 1000);
    // Rows as oidc-provider writes them through the adapter (iat in epoch seconds).
    const { Session, Grant, RefreshToken } = a.provider();
    const payload = (iat: number, extra: Record<string, unknown> = {}) => ({
      iat,
      exp: iat + 3600,
      accountId: 'acct-x',
      ...extra,
    });
    await Session.adapter.upsert('session-while-signing', payload(activated + 1), 3600);
    await Session.adapter.upsert('session-before', payload(activated - 100), 3600);
    await Grant.adapter.upsert('grant-while-signing', payload(activated + 1), 3600);
    // older than the key, but part of a grant made while it signed
    await RefreshToken.adapter.upsert(
      'rt-in-grant',
      payload(activated - 50, { grantId: 'grant-while-signing' }),
      3600,
    );

    const r = await cli('keys', 'rotate', '--now', '--revoke', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).revoked).toBeGreaterThanOrEqual(3);
    expect(await Session.adapter.find('session-while-signing')).toBeUndefined();
    expect(await Grant.adapter.find('grant-while-signing')).toBeUndefined();
    expect(await RefreshToken.adapter.find('rt-in-grant')).toBeUndefined();
    expect(await Session.adapter.find('session-before')).toBeTruthy();

    const tail = await cli('audit', 'tail', '-n', '50', '--json');
    const rotated = (
      JSON.parse(tail.stdout) as { event: string; actor: string; details: { revoked?: boolean } }[]
    ).filter((e) => e.event === 'key_rotated');
    expect(rotated.at(-1)).toMatchObject({
      actor: expect.stringMatching(/^cli:/),
      details: { revoked: true },
    });
  });

  it('refuses, exit 1 naming the kid, when a key file cannot be read; changes nothing', async () => {
    const before = await keys();
    const files = readdirSync(keysDir).sort();

    const wrongKek = await runHawiya(['keys', 'rotate'], {
      ...env,
      KEYS_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    });
    expect(wrongKek.code).toBe(1);
    expect(wrongKek.stderr).toMatch(
      /signing key (es256|rs256)-[\w-]+ cannot be read: KEYS_ENCRYPTION_KEY does not open/,
    );
    expect(wrongKek.stderr).not.toMatch(/\n\s+at /);

    const [next] = kidIn(before, 'ES256', 'next');
    const path = join(keysDir, `${next}.json`);
    copyFileSync(path, `${path}.bak`);
    rmSync(path);
    try {
      const missing = await cli('keys', 'rotate');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`signing key ${next} cannot be read`);
      const listed = await keys();
      expect(listed.find((k) => k.kid === next)?.file).toBe('UNREADABLE');
    } finally {
      copyFileSync(`${path}.bak`, path);
      rmSync(`${path}.bak`);
    }
    expect(await keys()).toEqual(before);
    expect(readdirSync(keysDir).sort()).toEqual(files);
  });

  it('retire refuses the signing key, retires a previous key with its file; prune and usage errors', async () => {
    const before = await keys();
    const [current] = kidIn(before, 'ES256', 'current');
    const refused = await cli('keys', 'retire', current ?? '');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is signing now');

    const [previous] = kidIn(before, 'ES256', 'previous');
    const retired = await cli('keys', 'retire', previous ?? '', '--delete-file');
    expect(retired.code, retired.stderr).toBe(0);
    expect(readdirSync(keysDir)).not.toContain(`${previous}.json`);
    await a.reloadKeys();
    expect(kidsOf(await publishedJwks(a))).not.toContain(previous);

    const prune = await cli('keys', 'prune');
    expect(prune).toMatchObject({ code: 0, stdout: 'no previous key is due\n' });

    expect((await cli('keys', 'rotate', '--alg', 'HS256')).code).toBe(2);
    expect((await cli('keys', 'rotate', '--revoke')).code).toBe(2);
    expect((await cli('keys', 'retire')).code).toBe(2);
    const help = await cli('keys', 'rotate', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--now');
  });
});
