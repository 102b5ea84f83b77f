import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createIdp, type Idp } from '../../src/createIdp.js';
import { sha256OfFile } from '../../src/db/backup/fileDigest.js';
import { createDb } from '../../src/db/createDb.js';
import { runHawiya } from '../cli/runHawiya.js';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { inProcessFetch } from '../helpers/inProcessFetch.js';
import {
  completeLogin,
  exchange,
  idpWithPerson,
  type Person,
  rpConfig,
  startLogin,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { ENGINES, PG_URL } from '../helpers/testDb.js';
import { startWriteLoad } from '../helpers/writeLoad.js';

const RESOURCE = 'http://127.0.0.1:1/loss/api';

/** A JWT access token for a service's API, signed by the node's current key (as a resource server gets it). */
async function jwtAccessToken(t: TestIdp): Promise<string> {
  const provider = t.idp.provider();
  const client = await provider.Client.find('loss-report');
  const token = new provider.AccessToken({
    accountId: 'acct-backup',
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

/** A fresh, empty place to restore into: a new SQLite path, or a new PostgreSQL database (same schema name). */
async function freshTarget(engine: 'sqlite' | 'pg', t: TestIdp, dir: string) {
  if (engine === 'sqlite')
    return { url: `sqlite:${join(dir, 'restored', 'hawiya.db')}`, drop: async () => {} };
  const name = `r_${randomBytes(6).toString('hex')}`;
  const admin = createDb(PG_URL);
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const base = PG_URL.replace(/\/[^/?]+(\?.*)?$/, `/${name}`);
  return {
    url: `${base}?options=-c%20search_path%3D${t.testDb.schema}`,
    async drop() {
      const cleaner = createDb(PG_URL);
      await cleaner.raw(`drop database if exists ${name} with (force)`);
      await cleaner.destroy();
    },
  };
}

// The backup is taken from a serving IdP with a person, a session's tokens and encrypted signing keys;
// restored into an empty database and an empty KEYS_DIR, then served by a new IdP with the same
// configuration (COOKIE_KEYS, KEYS_ENCRYPTION_KEY): the person signs in with the same password, and tokens
// issued before the backup still verify and introspect active.
describe.each(ENGINES)('hawiya backup and restore (%s)', (engine) => {
  const kek = randomBytes(32).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'hawiya-backup-'));
  const backupDir = join(dir, 'backup');
  let t: TestIdp;
  let person: Person;
  let target: Awaited<ReturnType<typeof freshTarget>>;
  let restoredEnv: Record<string, string>;
  let restored: Idp | undefined;
  let tokens: { access: string; id: string; jwt: string };

  beforeAll(async () => {
    let config: oidc.Configuration;
    ({ t, person, config } = await idpWithPerson({
      idp: { engine, inProcess: true, env: { KEYS_ENCRYPTION_KEY: kek } },
    }));
    const login = await startLogin(t, config);
    const grant = await exchange(config, login, await completeLogin(t, login, person));
    tokens = { access: grant.access_token, id: grant.id_token ?? '', jwt: await jwtAccessToken(t) };
    target = await freshTarget(engine, t, dir);
    restoredEnv = { ...t.env, DATABASE_URL: target.url, KEYS_DIR: join(dir, 'restored-keys') };
  });
  afterAll(async () => {
    await restored?.close();
    await t?.close();
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while serving, restores into a fresh database that serves the same accounts and verifies the same tokens', async () => {
    // Another writer commits as fast as it can all through the backup: it neither waits nor fails.
    const load = await startWriteLoad(engine, t.testDb.url);
    const backup = await cliInProcess(['backup', backupDir], t.env);
    expect(await load.stop()).toBeGreaterThan(0);
    expect(backup.code, backup.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'hawiya-backup/1', engine, keysEncrypted: true });
    expect(manifest.keys.length).toBeGreaterThan(0);
    expect(manifest.keys.filter((k: { file: string }) => k.file === 'copied')).toHaveLength(
      manifest.keys.length,
    );
    expect(readFileSync(join(backupDir, 'README.txt'), 'utf8')).toContain('KEYS_ENCRYPTION_KEY');
    // Owner-only, like the database and keys it copies.
    expect(statSync(join(backupDir, manifest.databaseFile)).mode & 0o077).toBe(0);
    expect(statSync(backupDir).mode & 0o077).toBe(0);
    // The key files stay sealed: the private key is not readable in the backup.
    for (const k of manifest.keys) {
      expect(readFileSync(join(backupDir, 'keys', `${k.kid}.json`), 'utf8')).toContain('"enc":"A256GCM"');
    }

    // Serving on after the backup: what happens now is not in it.
    await t.idp.db('accounts').update({ username: 'after_backup' }).where({ username: person.username });

    // The real binary, as an operator runs it.
    const restore = await runHawiya(['restore', backupDir], restoredEnv);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('restored the backup');

    restored = await createIdp(loadConfig(restoredEnv));
    const r: TestIdp = { ...t, idp: restored, fetch: inProcessFetch(restored.listener) };
    expect(await restored.db('accounts').where({ username: person.username }).first()).toBeTruthy();

    // The same person signs in with the same password (and the SMS code to the same mobile).
    const rConfig = await rpConfig(r);
    const login = await startLogin(r, rConfig);
    const grant = await exchange(rConfig, login, await completeLogin(r, login, person));
    expect(grant.claims()?.sub).toBe(jose.decodeJwt(tokens.id).sub);

    // Tokens issued before the backup: signatures verify against the restored node's JWKS...
    const jwks = jose.createLocalJWKSet(await (await r.fetch(`${r.issuer}/jwks`)).json());
    await jose.jwtVerify(tokens.jwt, jwks, { audience: RESOURCE, issuer: r.issuer });
    await jose.jwtVerify(tokens.id, jwks, { issuer: r.issuer });
    // ...and the access token is found again (stored as a keyed hash, found with the same COOKIE_KEYS).
    expect((await oidc.tokenIntrospection(rConfig, tokens.access)).active).toBe(true);
  });

  it('refuses a non-empty database without --force, names it, and changes nothing', async () => {
    const before = await restored?.db('accounts').count({ n: '*' });
    const again = await cliInProcess(['restore', backupDir], restoredEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty \(\d+ tables\): add --force/);
    expect(await restored?.db('accounts').count({ n: '*' })).toEqual(before);

    // Another key under one of the backup's key ids: named, and left alone.
    const { keys } = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    const keyFile = join(restoredEnv.KEYS_DIR as string, `${keys[0].kid}.json`);
    const original = readFileSync(keyFile);
    writeFileSync(keyFile, '{"other":"key"}');
    const clash = await cliInProcess(['restore', backupDir], restoredEnv);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(
      `already holds other key files under the backup's names (${keys[0].kid}.json)`,
    );
    expect(readFileSync(keyFile, 'utf8')).toBe('{"other":"key"}');
    writeFileSync(keyFile, original);
  });

  it('a damaged database file with --force: refused before or rolled back, the database stays whole', async () => {
    const damaged = join(dir, 'damaged');
    await cliInProcess(['backup', damaged], t.env).then((b) => expect(b.code, b.stderr).toBe(0));
    const manifestPath = join(damaged, 'manifest.json');
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const dbFile = join(damaged, m.databaseFile);

    // Changed after the backup: the checksum says so.
    truncateSync(dbFile, Math.floor(statSync(dbFile).size * 0.6));
    const changed = await cliInProcess(['restore', damaged, '--force'], restoredEnv);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain("does not match the manifest's checksum");

    // Damaged with a matching checksum (written so by a faulty disk or tool): the restore itself fails, and
    // the database it was to replace is still the one before.
    writeFileSync(manifestPath, JSON.stringify({ ...m, databaseSha256: await sha256OfFile(dbFile) }));
    const broken = await cliInProcess(['restore', damaged, '--force'], restoredEnv);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/pg_restore failed|damaged|not a database|malformed/);
    expect(await restored?.db('accounts').where({ username: person.username }).first()).toBeTruthy();
    expect(await restored?.db('signing_keys').count({ n: '*' })).not.toEqual([{ n: 0 }]);
  });

  it('refuses a backup newer than the code, a missing directory and a corrupt manifest: one clear line, exit 1', async () => {
    const newer = join(dir, 'newer');
    await cliInProcess(['backup', newer], t.env).then((b) => expect(b.code, b.stderr).toBe(0));
    const m = JSON.parse(readFileSync(join(newer, 'manifest.json'), 'utf8'));
    writeFileSync(join(newer, 'manifest.json'), JSON.stringify({ ...m, migration: '29991231000000_future' }));
    const future = await cliInProcess(['restore', newer, '--force'], restoredEnv);
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(
      /migration 29991231000000_future, which this version of Hawiya does not know/,
    );

    const missing = await cliInProcess(['restore', join(dir, 'nowhere')], restoredEnv);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere does not exist/);

    writeFileSync(join(newer, 'manifest.json'), '{"format": "hawiya-backup/1", ');
    const corrupt = await cliInProcess(['restore', newer], restoredEnv);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/manifest\.json is not valid JSON/);
    for (const r of [future, missing, corrupt]) {
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }

    const backupAgain = await cliInProcess(['backup', backupDir], t.env);
    expect(backupAgain.code).toBe(1);
    expect(backupAgain.stderr).toContain('is not empty: give a new directory');
  });
});
