import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountsRepo } from '../../src/accounts/accountsRepo.js';
import type { DbEngine } from '../../src/db/createDb.js';
import { verifyClientSecret } from '../../src/oidc/clientSecrets.js';
import { createClientsRepo } from '../../src/oidc/clientsRepo.js';
import { systemClock } from '../../src/shared/clock.js';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { PRODUCTION_ENV } from '../helpers/productionEnv.js';
import { createTestDb, ENGINES, type TestDb } from '../helpers/testDb.js';
import { runHawiya } from './runHawiya.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
// Each command here is a process start (~0.7 s); the repositories behind them are tested on both engines
// beside their code, and keysRotation.test.ts runs the CLI on both. CLI_TEST_ALL_ENGINES=1 runs this on pg too.
const CLI_ENGINES: DbEngine[] = process.env.CLI_TEST_ALL_ENGINES ? ENGINES : ['sqlite'];

describe.each(CLI_ENGINES)('hawiya clients, registry, users, audit, maintenance (%s)', (engine) => {
  let tdb: TestDb;
  let dir: string;
  let env: Record<string, string>;
  // In this process (the same command tree and output); the real binary is run below where it matters.
  const cli = (...args: string[]) => cliInProcess(args, env);

  beforeAll(async () => {
    tdb = await createTestDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'hawiya-cli-'));
    env = { DATABASE_URL: tdb.url, KEYS_DIR: join(dir, 'keys') };
  });
  afterAll(async () => {
    await tdb?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('clients add prints a secret once, defaults private clients to pairwise, and audits', async () => {
    const add = await cli(
      'clients',
      'add',
      'shop',
      '--name-ar',
      'متجر',
      '--name-en',
      'Shop',
      '--type',
      'private',
      '--redirect-uri',
      'https://shop.example/cb',
      '--post-logout-uri',
      'https://shop.example/',
      '--client-uri',
      'https://shop.example/',
      '--scope',
      'openid profile',
      '--scope',
      'email',
      '--min-acr',
      'standard',
    );
    expect(add.code, add.stderr).toBe(0);
    const secret = /client secret \(shown once, store it now\): (\S+)/.exec(add.stdout)?.[1] ?? '';
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    const stored = await createClientsRepo({ db: tdb.db, clock: systemClock }).find('shop');
    // Shown once, stored only as a salted hash.
    expect(stored?.client_secret).not.toContain(secret);
    expect(verifyClientSecret(stored?.client_secret, secret)).toBe(true);
    expect(stored).toMatchObject({
      subject_type: 'pairwise',
      scope: 'openid profile email',
      min_acr: 'urn:hawiya:acr:standard',
      first_party: false,
      client_uri: 'https://shop.example/',
    });
    // Changed with update, side by side with a refused change (which saves nothing, so order does not matter).
    const [moved, insecure] = await Promise.all([
      cli('clients', 'update', 'shop', '--client-uri', 'https://www.shop.example/', '--json'),
      cli('clients', 'update', 'shop', '--client-uri', 'javascript:alert(1)'),
    ]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({
      client: { client_uri: 'https://www.shop.example/' },
      changed: ['client_uri'],
    });
    expect(insecure).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('client URI javascript:alert(1)'),
    });

    const show = await cli('clients', 'show', 'shop', '--json');
    expect(show.code).toBe(0);
    expect(show.stdout).not.toContain(secret);
    expect(JSON.parse(show.stdout)).toMatchObject({ client_id: 'shop', name_en: 'Shop' });
    const list = await cli('clients', 'list');
    expect(list.stdout).toMatch(/shop\s+Shop\s+private\s+client_secret_basic\s+pairwise/);

    const dup = await cli(
      'clients',
      'add',
      'shop',
      '--name-ar',
      'x',
      '--name-en',
      'x',
      '--type',
      'private',
      '--redirect-uri',
      'https://x.example/cb',
    );
    expect(dup).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
  });

  it('clients add refuses bad input with a message and exit 1 (usage errors exit 2)', async () => {
    const base = ['clients', 'add', 'bad', '--name-ar', 'س', '--name-en', 'Bad', '--type', 'private'];
    const cases: [string[], RegExp][] = [
      [['--redirect-uri', 'https://*.example/cb'], /wildcards are not allowed/],
      [['--redirect-uri', 'https://bad.example/cb#frag'], /fragment is not allowed/],
      // every problem at once: the client URI is held to the same rules
      [
        ['--redirect-uri', 'http://bad.example/cb', '--client-uri', 'http://bad.example/'],
        /redirect URI http:\/\/bad.example\/cb: must be https[\s\S]*client URI http:\/\/bad.example\/: must be https/,
      ],
      [['--redirect-uri', 'https://bad.example/cb', '--scope', 'openid admin'], /unknown scope: admin/],
      [
        ['--redirect-uri', 'https://bad.example/cb', '--resource', 'https://evil.example/api'],
        /unknown resource/,
      ],
      [['--redirect-uri', 'https://bad.example/cb', '--first-party'], /government clients only/],
      [
        ['--redirect-uri', 'https://bad.example/cb', '--auth-method', 'private_key_jwt'],
        /needs --jwks-uri or --jwks-file/,
      ],
    ];
    const production = { ...env, ...PRODUCTION_ENV };
    // Independent refusals run side by side to keep the suite fast.
    const [results, prod, usage] = await Promise.all([
      Promise.all(cases.map(([extra]) => cli(...base, ...extra))),
      runHawiya(
        [...base, '--redirect-uri', 'http://localhost:8080/cb', '--client-uri', 'http://localhost:8080/'],
        production,
      ),
      cli(...base, '--type', 'ngo'),
    ]);
    results.forEach((r, i) => {
      expect(r.code, `${cases[i]?.[0].join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(cases[i]?.[1] ?? /never/);
    });
    expect(prod.code).toBe(1);
    expect(prod.stderr).toContain('redirect URI http://localhost:8080/cb: must be https in production');
    expect(prod.stderr).toContain('client URI http://localhost:8080/: must be https in production');
    expect(usage.code).toBe(2);
    expect(await createClientsRepo({ db: tdb.db, clock: systemClock }).find('bad')).toBeUndefined();
  });

  it('clients add accepts a government first-party client on localhost outside production, with private_key_jwt', async () => {
    const jwks = join(dir, 'jwks.json');
    writeFileSync(
      jwks,
      JSON.stringify({
        keys: [
          {
            kty: 'EC',
            crv: 'P-256',
            x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
            y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
            kid: 'k1',
          },
        ],
      }),
    );
    const r = await cli(
      'clients',
      'add',
      'ministry',
      '--name-ar',
      'وزارة',
      '--name-en',
      'Ministry',
      '--type',
      'government',
      '--first-party',
      '--redirect-uri',
      'http://localhost:8080/cb',
      '--auth-method',
      'private_key_jwt',
      '--jwks-file',
      jwks,
      '--resource',
      'http://localhost:3001/api',
      '--scope',
      'openid civil:loss_report',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/secret/);
    const c = await createClientsRepo({ db: tdb.db, clock: systemClock }).find('ministry');
    expect(c).toMatchObject({
      subject_type: 'public',
      first_party: true,
      token_endpoint_auth_method: 'private_key_jwt',
    });
    expect(c?.client_secret).toBeUndefined();
    const rot = await cli('clients', 'rotate-secret', 'ministry');
    expect(rot).toMatchObject({ code: 1, stderr: expect.stringContaining('has no secret') });
  });

  it('clients add registers a machine client for client credentials: API scopes only, no redirect URI', async () => {
    const add = (...extra: string[]) =>
      cli(
        'clients',
        'add',
        ...extra,
        '--name-ar',
        'مصرف',
        '--name-en',
        'Bank',
        '--grant-type',
        'client_credentials',
      );
    const r = await add(
      'bank',
      '--type',
      'private',
      '--scope',
      'civil:loss_register.read',
      '--resource',
      'http://localhost:3001/api',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/client secret \(shown once/);
    const c = await createClientsRepo({ db: tdb.db, clock: systemClock }).find('bank');
    expect(c).toMatchObject({
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'civil:loss_register.read',
      allowed_resources: ['http://localhost:3001/api'],
    });

    for (const [args, message] of [
      [
        ['bank-2', '--type', 'private', '--scope', 'openid civil:loss_register.read'],
        'may only have API scopes',
      ],
      // [review R2] a service's person scope is never a machine's only use: no person stands behind it.
      [
        [
          'bank-6',
          '--type',
          'private',
          '--scope',
          'civil:loss_report',
          '--resource',
          'http://localhost:3001/api',
        ],
        'may only have API scopes',
      ],
      [['bank-3', '--type', 'private', '--scope', 'civil:loss_register.read'], 'needs the --resource'],
      [['bank-4', '--type', 'private', '--scope', 'registry:verify'], 'government clients only'],
      [
        ['bank-5', '--type', 'private', '--redirect-uri', 'http://localhost:9/cb'],
        'needs the authorization_code',
      ],
    ] as const) {
      const refused = await add(...args);
      expect(refused.code, refused.stdout).toBe(1);
      expect(refused.stderr).toContain(message);
    }
    // A person-facing client may not carry a machine scope.
    const mixed = await cli(
      'clients',
      'add',
      'shop-2',
      '--name-ar',
      'متجر',
      '--name-en',
      'Shop',
      '--type',
      'private',
      '--redirect-uri',
      'http://localhost:9/cb',
      '--scope',
      'openid civil:loss_register.read',
    );
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('only with --grant-type client_credentials');
  });

  it('clients update, rotate-secret and remove', async () => {
    const repo = createClientsRepo({ db: tdb.db, clock: systemClock });
    const old = (await repo.find('shop'))?.client_secret;
    const up = await cli(
      'clients',
      'update',
      'shop',
      '--redirect-uri',
      'https://shop.example/cb2',
      '--name-en',
      'Shop 2',
    );
    expect(up.code, up.stderr).toBe(0);
    expect(await repo.find('shop')).toMatchObject({
      redirect_uris: ['https://shop.example/cb2'],
      name_en: 'Shop 2',
      client_secret: old,
    });
    expect((await cli('clients', 'update', 'shop', '--first-party')).code).toBe(1);
    expect((await cli('clients', 'update', 'nobody', '--name-en', 'x')).code).toBe(1);

    const rot = await cli('clients', 'rotate-secret', 'shop', '--json');
    const fresh = JSON.parse(rot.stdout).client_secret as string;
    expect(fresh).not.toBe(old);
    expect(verifyClientSecret((await repo.find('shop'))?.client_secret, fresh)).toBe(true);
    expect((await repo.find('shop'))?.client_secret).not.toBe(old);

    expect((await cli('clients', 'remove', 'shop')).code).toBe(0);
    expect(await repo.find('shop')).toBeUndefined();
    expect((await cli('clients', 'remove', 'shop')).code).toBe(1);

    // The built-in service clients' secrets live in the environment: the CLI says so instead of
    // writing a secret the next server start would overwrite.
    for (const args of [
      ['rotate-secret', 'loss-report'],
      ['remove', 'replacement'],
    ]) {
      const refused = await cli('clients', ...args);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/LOSS_REPORT_CLIENT_SECRET|REPLACEMENT_CLIENT_SECRET/);
    }
  });

  it('registry import is all or nothing, reports line numbers, --skip-bad imports the good rows; show', async () => {
    const bad = await cli('registry', 'import', join(FIXTURES, 'registry-bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^line \d+: /m);
    expect(bad.stdout).toContain('nothing imported');
    expect(await tdb.db('registry_persons').count({ n: '*' }).first()).toMatchObject({
      n: expect.anything(),
    });
    expect(Number((await tdb.db('registry_persons').count({ n: '*' }).first())?.n)).toBe(0);

    const skip = await cli('registry', 'import', join(FIXTURES, 'registry-bad.csv'), '--skip-bad', '--json');
    expect(skip.code, skip.stderr).toBe(0);
    const result = JSON.parse(skip.stdout) as { imported: number; bad: { line: number }[] };
    expect(result.imported).toBeGreaterThan(0);
    expect(result.bad.length).toBeGreaterThan(0);

    const good = await cli('registry', 'import', join(FIXTURES, 'registry-sample.csv'));
    expect(good.code, good.stderr).toBe(0);
    const show = await cli('registry', 'show', '1012345672', '--json');
    expect(JSON.parse(show.stdout)).toMatchObject({ nationalId: '1012345672', givenNameEn: 'Khalid' });
    const missing = await cli('registry', 'show', '1999999990');
    expect(missing.code).toBe(1);
    expect(missing.stderr).not.toContain('1999999990');
    expect((await cli('registry', 'import', join(dir, 'nope.csv'))).code).toBe(1);
  });

  it('[checklist 21] users show, lock (ends sessions and tokens), unlock, reset-mfa, logout, all audited', async () => {
    const id = randomUUID();
    const now = Date.now();
    await createAccountsRepo(tdb.db).insert({
      id,
      nationalId: '1012345672',
      username: 'khalid',
      passwordHash: 'not-a-hash',
      email: null,
      status: 'active',
      failedLogins: 7,
      lockedUntil: now + 60_000,
      createdAt: now,
      activatedAt: now,
      passwordChangedAt: now,
      locale: null,
    });
    const session = (sid: string) => ({
      type: 'Session',
      id: sid,
      payload: JSON.stringify({ accountId: id }),
      account_id: id,
      expires_at: now + 3_600_000,
    });
    await tdb.db('oidc_payloads').insert([session('s1'), session('s2')]);

    const show = await cli('users', 'show', 'khalid', '--json');
    expect(JSON.parse(show.stdout)).toMatchObject({
      id,
      status: 'active',
      failedLogins: 7,
      nationalId: '1******672',
    });
    expect(show.stdout).not.toContain('not-a-hash');
    expect((await cli('users', 'show', 'nobody')).code).toBe(1);

    const lock = await cli('users', 'lock', '1012345672');
    expect(lock.code, lock.stderr).toBe(0);
    expect(lock.stdout).toContain('2 session');
    expect((await createAccountsRepo(tdb.db).findById(id))?.status).toBe('locked');
    expect(await tdb.db('oidc_payloads').where({ account_id: id })).toHaveLength(0);

    const reset = await cli('users', 'reset-mfa', id);
    expect(reset.stdout).toContain('failed-login counter reset (was 7)');
    expect((await createAccountsRepo(tdb.db).findById(id))?.failedLogins).toBe(0);
    expect((await cli('users', 'unlock', 'khalid')).code).toBe(0);
    expect((await createAccountsRepo(tdb.db).findById(id))?.status).toBe('active');
    await tdb.db('oidc_payloads').insert([session('s3')]);
    const logout = await cli('users', 'logout', 'khalid');
    expect(logout.stdout).toContain('1 session');

    const tail = await cli('audit', 'tail', '-n', '4', '--json');
    const events = JSON.parse(tail.stdout) as { event: string; actor: string; nationalIdMasked: string }[];
    expect(events.map((e) => e.event)).toEqual([
      'account_locked',
      'mfa_reset',
      'account_unlocked',
      'sessions_revoked',
    ]);
    expect(events.every((e) => e.actor.startsWith('cli:') && e.nationalIdMasked === '1******672')).toBe(true);
  });

  it('audit tail and export (json, csv) with bad input; migrate; purge; config errors', async () => {
    const usage = await Promise.all([
      cli('audit', 'tail', '-n', 'x'),
      cli('audit', 'export', '--since', 'yesterday'),
      cli('audit', 'export'),
      cli('audit', 'export', '--since', '2020-01-01', '--format', 'xml'),
      cli('nonsense'),
    ]);
    expect(usage.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    const table = await cli('audit', 'tail');
    expect(table.stdout).toMatch(/^AT\s+EVENT\s+ACTOR/);

    const csv = await cli('audit', 'export', '--since', '2020-01-01', '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'id,at,event,actor,accountId,nationalIdMasked,ip,userAgent,requestId,clientId,factor,details',
    );
    expect(csv.stdout).toContain('client_added');
    const json = await cli(
      'audit',
      'export',
      '--since',
      '2020-01-01T00:00:00Z',
      '--until',
      '2020-01-02T00:00:00Z',
    );
    expect(JSON.parse(json.stdout)).toEqual([]);

    expect(await cli('migrate')).toMatchObject({ code: 0, stdout: 'already up to date\n' });
    await tdb.db('oidc_payloads').insert({ type: 'Session', id: 'old', payload: '{}', expires_at: 1 });
    const purge = await cli('purge', '--json');
    expect(JSON.parse(purge.stdout)).toMatchObject({ oidc: 1 });

    const badConfig = await runHawiya(['keys', 'list'], { ...env, DATABASE_URL: 'mysql://x' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr.trim().split('\n')).toHaveLength(1);
    expect(badConfig.stderr).toContain('DATABASE_URL');
    expect((await cli('--help')).code).toBe(0);
  });
});
