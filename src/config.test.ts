import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAttestationCa } from '../test/helpers/attestationCa.js';
import { PRODUCTION_ENV } from '../test/helpers/productionEnv.js';
import { ConfigError, loadConfig, usesDevOutbox } from './config.js';

const PRODUCTION = PRODUCTION_ENV;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe('loadConfig', () => {
  it('has safe development defaults and is frozen', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.port).toBe(3000);
    expect(c.issuer).toBe('http://localhost:3000');
    expect(c.databaseUrl).toBe('sqlite:var/hawiya.db');
    expect(c.otp).toEqual({ ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60 });
    expect(c.throttle.disableAfter).toBe(100);
    expect(c.session).toEqual({
      idleSeconds: 3600,
      maxSeconds: 86400,
      highIdleSeconds: 900,
      highMaxSeconds: 43200,
    });
    expect(c.seedDemo).toBe(true);
    expect(usesDevOutbox(c)).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/hawiya'],
    ['COOKIE_KEYS', 'short'],
    ['ISSUER', 'ftp://id.example'],
    ['OTP_TTL_SECONDS', '3600'],
    ['LOGIN_DISABLE_AFTER', '500'],
    ['SESSION_IDLE_SECONDS', '7200'],
    ['SESSION_MAX_SECONDS', '172800'],
    ['SEED_DEMO', 'maybe'],
    ['SMTP_URL', 'http://mail'],
    ['NODE_ENV', 'staging'],
    ['SQLITE_READ_CACHE_MIB', '0'],
    ['SQLITE_READ_CACHE_MIB', '64MB'],
    ['SQLITE_MMAP_MIB', '-1'],
  ])('an error names the variable: %s=%s', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^invalid configuration: .*${name}`));
  });

  it('SQLite commits are durable (synchronous FULL) unless NORMAL is asked for by name', () => {
    expect(loadConfig({}).sqliteSynchronous).toBe('FULL');
    expect(loadConfig({ SQLITE_SYNCHRONOUS: 'normal' }).sqliteSynchronous).toBe('NORMAL');
    expect(problemsOf({ SQLITE_SYNCHRONOUS: 'OFF' })).toEqual([
      'SQLITE_SYNCHRONOUS must be FULL or NORMAL (got "OFF")',
    ]);
  });

  it("SQLite's read connection: a page cache of 16 MiB and no memory map unless asked for", () => {
    expect(loadConfig({})).toMatchObject({ sqliteReadCacheMiB: 16, sqliteMmapMiB: 0 });
    expect(loadConfig({ SQLITE_READ_CACHE_MIB: '256', SQLITE_MMAP_MIB: '4096' })).toMatchObject({
      sqliteReadCacheMiB: 256,
      sqliteMmapMiB: 4096,
    });
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ PORT: 'abc', DATABASE_URL: 'mysql://x', COOKIE_KEYS: 'short' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT[\s\S]*DATABASE_URL[\s\S]*COOKIE_KEYS/);
  });

  it('accepts a complete production configuration', () => {
    const c = loadConfig(PRODUCTION);
    expect(c.env).toBe('production');
    expect(c.seedDemo).toBe(false);
    expect(c.cookieKeys).toHaveLength(2);
    expect(usesDevOutbox(c)).toBe(false);
    expect(c.logLevel).toBe('info');
    expect(c.logSync).toBe(false);
    expect(loadConfig({ ...PRODUCTION, LOG_SYNC: 'true' }).logSync).toBe(true);
  });

  it('[checklist 45] in production refuses an http issuer', () => {
    expect(problemsOf({ ...PRODUCTION, ISSUER: 'http://id.example.gov' })).toEqual([
      'ISSUER must be an https URL in production',
    ]);
  });

  it('in production refuses the development cookie keys, salt and client secrets', () => {
    const { COOKIE_KEYS, PAIRWISE_SALT, LOSS_REPORT_CLIENT_SECRET, ...rest } = PRODUCTION;
    const problems = problemsOf(rest);
    expect(problems.some((p) => p.startsWith('COOKIE_KEYS'))).toBe(true);
    expect(problems.some((p) => p.startsWith('PAIRWISE_SALT'))).toBe(true);
    expect(problems.some((p) => p.includes('LOSS_REPORT_CLIENT_SECRET'))).toBe(true);
  });

  it('in production refuses missing SMTP and SMS settings (no dev outbox)', () => {
    const { SMTP_URL, SMS_GATEWAY_URL, ...rest } = PRODUCTION;
    const problems = problemsOf(rest);
    expect(problems.some((p) => p.startsWith('SMTP_URL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SMS_GATEWAY_URL'))).toBe(true);
  });

  it.each([
    ['LOSS_REPORT_URL', 'http://loss.example.gov', 'LOSS_REPORT_URL must be an https URL in production'],
    ['REPLACEMENT_URL', 'http://replace.example.gov', 'REPLACEMENT_URL must be an https URL in production'],
    ['SMS_GATEWAY_URL', 'http://sms.example.gov/send', 'SMS_GATEWAY_URL must be an https URL in production'],
  ])('[checklist 45] review item 6: in production refuses a plain-http %s', (name, value, problem) => {
    expect(problemsOf({ ...PRODUCTION, [name]: value })).toEqual([expect.stringContaining(problem)]);
  });

  it('[checklist 45] review item 6: in production SMTP_URL must require TLS (smtps, or STARTTLS required)', () => {
    for (const value of [
      'smtp://mail.example.gov:25',
      'smtp://mail.example.gov:587?requireTLS=false',
      'smtp://mail.example.gov:587?requireTLS=true&ignoreTLS=true',
      'smtps://mail.example.gov:465?tls.rejectUnauthorized=false',
    ]) {
      expect(problemsOf({ ...PRODUCTION, SMTP_URL: value }), value).toEqual([
        expect.stringMatching(/^SMTP_URL must use TLS in production/),
      ]);
    }
    expect(problemsOf({ ...PRODUCTION, SMTP_URL: 'smtp://mail.example.gov:587?requireTLS=true' })).toEqual(
      [],
    );
  });

  it('[checklist 18] review item 6: in production refuses guessable secrets, naming the variable; dev and test accept them', () => {
    const weak =
      ' must be a random secret in production: at least 32 characters, at least 10 different ones, not a repeated pattern (e.g. openssl rand -base64 32)';
    for (const [name, value] of [
      ['COOKIE_KEYS', 'a'.repeat(36)],
      ['COOKIE_KEYS', `${PRODUCTION.COOKIE_KEYS.split(',')[0]},${'abcd'.repeat(8)}`],
      ['PAIRWISE_SALT', '0123456789'.repeat(4)],
      ['PAIRWISE_SALT', 'aaaaabbbbbcccccdddddeeeeefffffgg'],
      ['LOSS_REPORT_CLIENT_SECRET', 'a'.repeat(36)],
      ['REPLACEMENT_CLIENT_SECRET', 'x'.repeat(40)],
    ] as const) {
      expect(problemsOf({ ...PRODUCTION, [name]: value }), `${name}=${value}`).toEqual([`${name}${weak}`]);
    }
    expect(problemsOf({ COOKIE_KEYS: 'a'.repeat(36), PAIRWISE_SALT: 'a'.repeat(36) })).toEqual([]);
  });

  it('review item 6: in production signing keys must be encrypted at rest with a random KEYS_ENCRYPTION_KEY', () => {
    const { KEYS_ENCRYPTION_KEY, ...rest } = PRODUCTION;
    expect(problemsOf(rest)).toEqual([
      'KEYS_ENCRYPTION_KEY must be set in production (signing keys are encrypted at rest)',
    ]);
    expect(problemsOf({ ...PRODUCTION, KEYS_ENCRYPTION_KEY: 'A'.repeat(43) })).toEqual([
      'KEYS_ENCRYPTION_KEY must be 32 random bytes in production (e.g. openssl rand -base64 32)',
    ]);
  });

  it('in production refuses demo data', () => {
    expect(problemsOf({ ...PRODUCTION, SEED_DEMO: 'true' })).toEqual([
      'SEED_DEMO must not be on in production',
    ]);
  });

  it('[checklist 7] review item 5: TRUST_PROXY trusts one proxy hop unless TRUST_PROXY_HOPS says more', () => {
    expect(loadConfig({}).trustProxyHops).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxyHops).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' }).trustProxyHops).toBe(2);
    expect(problemsOf({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '0' })).toEqual([
      'TRUST_PROXY_HOPS must be a whole number from 1 to 10 (got "0")',
    ]);
    expect(problemsOf({ TRUST_PROXY_HOPS: '2' })).toEqual(['TRUST_PROXY_HOPS needs TRUST_PROXY=true']);
  });

  it('automatic key rotation is off by default, and its period must outlast the publication of a next key', () => {
    expect(loadConfig({})).toMatchObject({ keysRotateEveryDays: 0, keysPollSeconds: 2 });
    expect(loadConfig({ KEYS_ROTATE_EVERY_DAYS: '30' }).keysRotateEveryDays).toBe(30);
    expect(problemsOf({ KEYS_ROTATE_EVERY_DAYS: '400' })[0]).toContain('KEYS_ROTATE_EVERY_DAYS');
    expect(problemsOf({ KEYS_POLL_SECONDS: '0' })[0]).toContain('KEYS_POLL_SECONDS');
    expect(problemsOf({ KEYS_ROTATE_EVERY_DAYS: '1', KEYS_MIN_PUBLISH_SECONDS: '172800' })).toEqual([
      'KEYS_ROTATE_EVERY_DAYS must be longer than KEYS_MIN_PUBLISH_SECONDS (a next key must be published before it signs)',
    ]);
  });

  it('never lets the lock come after the disabling count', () => {
    expect(problemsOf({ LOGIN_LOCK_AFTER: '50', LOGIN_DISABLE_AFTER: '20' })).toEqual([
      'LOGIN_LOCK_AFTER must not exceed LOGIN_DISABLE_AFTER',
    ]);
  });

  it('[checklist 42] an AAGUID allowlist needs a PEM file of trusted CA roots, validated at start', async () => {
    const aaguid = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
    const dir = mkdtempSync(join(tmpdir(), 'hawiya-roots-'));
    try {
      expect(problemsOf({ PASSKEY_ALLOWED_AAGUIDS: aaguid })).toEqual([
        'PASSKEY_ALLOWED_AAGUIDS needs PASSKEY_ATTESTATION_ROOTS (a PEM file of trusted roots)',
      ]);
      const missing = join(dir, 'missing.pem');
      expect(problemsOf({ PASSKEY_ALLOWED_AAGUIDS: aaguid, PASSKEY_ATTESTATION_ROOTS: missing })).toEqual([
        `PASSKEY_ATTESTATION_ROOTS cannot be read (${missing})`,
      ]);
      const empty = join(dir, 'empty.pem');
      writeFileSync(empty, 'not a certificate');
      expect(problemsOf({ PASSKEY_ALLOWED_AAGUIDS: aaguid, PASSKEY_ATTESTATION_ROOTS: empty })).toEqual([
        `PASSKEY_ATTESTATION_ROOTS holds no PEM certificate (${empty})`,
      ]);
      const ca = await createAttestationCa();
      const leaf = await ca.leaf(aaguid);
      const leafPem = join(dir, 'leaf.pem');
      writeFileSync(leafPem, new X509Certificate(leaf.certificates[0] as Uint8Array).toString());
      expect(problemsOf({ PASSKEY_ALLOWED_AAGUIDS: aaguid, PASSKEY_ATTESTATION_ROOTS: leafPem })[0]).toMatch(
        /^PASSKEY_ATTESTATION_ROOTS certificate 1 is not a CA certificate/,
      );
      const roots = join(dir, 'roots.pem');
      writeFileSync(roots, ca.rootPem);
      expect(problemsOf({ PASSKEY_ATTESTATION_ROOTS: roots })).toEqual([
        'PASSKEY_ATTESTATION_ROOTS is used only with PASSKEY_ALLOWED_AAGUIDS',
      ]);
      const c = loadConfig({ PASSKEY_ALLOWED_AAGUIDS: aaguid, PASSKEY_ATTESTATION_ROOTS: roots });
      expect(c.passkeys.attestationRoots).toEqual([ca.rootPem.trim()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('[checklist 44] metrics: off by default, on their own port, and never open to anyone in production', () => {
    expect(loadConfig({}).metrics).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({
      port: 9464,
      host: '127.0.0.1',
      token: undefined,
    });
    const strong = 'mT4kV9qZ2xR7wB1nL6pH3sJ8dF0gC5yA-eU_oI2nK6M';
    expect(problemsOf({ METRICS_TOKEN: strong })).toEqual([
      'METRICS_TOKEN needs METRICS_PORT (metrics have their own listener)',
    ]);
    expect(problemsOf({ METRICS_PORT: '3000' })).toEqual([
      'METRICS_PORT must differ from PORT (metrics are never on the public port)',
    ]);
    expect(problemsOf({ METRICS_PORT: '9464', METRICS_TOKEN: 'short' })).toEqual([
      'METRICS_TOKEN must be at least 32 characters',
    ]);
    // production: a loopback or private bind needs no token; a public one needs a strong token
    for (const host of ['127.0.0.1', '10.1.2.3', '192.168.0.9', '::1', 'fd00::5']) {
      expect(problemsOf({ ...PRODUCTION, METRICS_PORT: '9464', METRICS_HOST: host })).toEqual([]);
    }
    for (const token of [undefined, 'a'.repeat(40)]) {
      const problems = problemsOf({
        ...PRODUCTION,
        METRICS_PORT: '9464',
        METRICS_HOST: '0.0.0.0',
        ...(token ? { METRICS_TOKEN: token } : {}),
      });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^METRICS_TOKEN must be set to a random secret in production when METRICS_HOST \(0\.0\.0\.0\)/,
      );
    }
    const open = loadConfig({
      ...PRODUCTION,
      METRICS_PORT: '9464',
      METRICS_HOST: '0.0.0.0',
      METRICS_TOKEN: strong,
    });
    expect(open.metrics).toEqual({ port: 9464, host: '0.0.0.0', token: strong });
  });
});
