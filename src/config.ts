// The only reader of process.env. Every setting is documented here with its unit and default;
// loadConfig() validates them all at once and names every bad variable in one error; the rules live in src/config/.

import { availableParallelism } from 'node:os';
import { reader } from './config/envReader.js';
import { type MetricsSettings, readMetrics } from './config/metricsSettings.js';
import { readPasskeys } from './config/passkeySettings.js';
import { refuseUnsafeProduction } from './config/productionRules.js';
import { DEV_COOKIE_KEY, DEV_PAIRWISE_SALT } from './config/secrets.js';
import { readServices } from './config/servicesSettings.js';
import type { ServicesSettings } from './shared/serviceRegistry.js';

export type NodeEnv = 'development' | 'production' | 'test';

export interface Config {
  /** NODE_ENV: development (default), test or production */
  readonly env: NodeEnv;
  /** ISSUER: the public URL of the identity provider (http://localhost:3000); https in production */
  readonly issuer: string;
  /** HOST: the address to listen on (127.0.0.1) */
  readonly host: string;
  /** PORT: the port to listen on (3000) */
  readonly port: number;
  /** TRUST_PROXY: trust X-Forwarded-* from a TLS-terminating proxy (false) */
  readonly trustProxy: boolean;
  /**
   * TRUST_PROXY_HOPS: how many proxies in front of Hawiya append to X-Forwarded-For (1; 1 to 10, needs
   * TRUST_PROXY). The client address is the entry the outermost trusted proxy added, counted from the right:
   * anything further left was sent by the client and is ignored. 0 when TRUST_PROXY is off.
   */
  readonly trustProxyHops: number;
  /** DATABASE_URL: sqlite:<file> (sqlite:var/hawiya.db) or postgres://… for several nodes */
  readonly databaseUrl: string;
  /**
   * SQLITE_SYNCHRONOUS: FULL (default: an answered write survives a power cut) or NORMAL (faster commits;
   * the last ones before a power failure can be lost). Ignored on PostgreSQL.
   */
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  /**
   * SQLITE_READ_CACHE_MIB: page cache of each process's read connection (the token routes' reads), MiB
   * (16; 1 to 4096; SQLite's own default is 2). Filled only as far as the database is read: a small
   * database never fills it. 16 keeps a worker under issue 12's 150 MB after long runs (64 reached 198
   * MiB); a node that must hold more of a large database in memory raises it. Ignored on PostgreSQL.
   */
  readonly sqliteReadCacheMiB: number;
  /**
   * SQLITE_MMAP_MIB: how much of the database file the read connection maps into memory instead of
   * copying pages through read() calls, MiB (0: none; up to 65536). Ignored on PostgreSQL.
   */
  readonly sqliteMmapMiB: number;
  /** KEYS_DIR: folder of the private signing keys (keys) */
  readonly keysDir: string;
  /** KEYS_ENCRYPTION_KEY: optional 32-byte base64url key that encrypts private keys at rest */
  readonly keysEncryptionKey: string | undefined;
  /** KEYS_MIN_PUBLISH_SECONDS: how long a next key is published before `keys rotate` may make it sign (900) */
  readonly keysMinPublishSeconds: number;
  /**
   * KEYS_POLL_SECONDS: how often a server re-reads the key states anyway (2; 1 to 3600). On PostgreSQL key
   * changes also arrive at once by LISTEN/NOTIFY; the poll is the fallback (and SQLite's only way).
   */
  readonly keysPollSeconds: number;
  /**
   * KEYS_ROTATE_EVERY_DAYS: automatic rotation, days a key signs before the next one takes over (0 = off,
   * the default; 1 to 365). The next key is published at least a day (and KEYS_MIN_PUBLISH_SECONDS) before.
   */
  readonly keysRotateEveryDays: number;
  /** COOKIE_KEYS: comma-separated secrets (32+ chars each) that sign cookies; first one signs */
  readonly cookieKeys: readonly string[];
  /** PAIRWISE_SALT: secret (32+ chars) mixed into pairwise subject identifiers */
  readonly pairwiseSalt: string;
  /** WORKERS: processes serving the IdP and the services (node:cluster); default the number of cores */
  readonly workers: number;
  /** SHUTDOWN_GRACE_SECONDS: on SIGTERM, how long requests in flight may take to finish (10) */
  readonly shutdownGraceSeconds: number;
  /**
   * Prometheus metrics, off unless METRICS_PORT is set; never served on the public ports. METRICS_PORT: the
   * port of their own listener; METRICS_HOST: its address (127.0.0.1); METRICS_TOKEN: a bearer token every
   * scrape must send (32+ characters; unset: none). In production a listener on an address that is not
   * loopback or private needs a strong METRICS_TOKEN.
   */
  readonly metrics: MetricsSettings;
  /** LOG_LEVEL: pino level (info; silent in test) */
  readonly logLevel: string;
  /**
   * LOG_SYNC: write each log line to stdout before going on (false: in the background, batched while a
   * write is in flight; flushed on exit). Audit events are stored in the database either way.
   */
  readonly logSync: boolean;
  /** SEED_DEMO: seed demo persons and the two service clients (true in development only) */
  readonly seedDemo: boolean;
  readonly session: {
    /** SESSION_IDLE_SECONDS: inactivity timeout (3600, at most 3600) */
    readonly idleSeconds: number;
    /** SESSION_MAX_SECONDS: absolute timeout (86400, at most 86400) */
    readonly maxSeconds: number;
    /** SESSION_HIGH_IDLE_SECONDS: inactivity timeout of a high-level session (900, at most 900) */
    readonly highIdleSeconds: number;
    /** SESSION_HIGH_MAX_SECONDS: absolute timeout of a high-level session (43200, at most 43200) */
    readonly highMaxSeconds: number;
  };
  readonly otp: {
    /** OTP_TTL_SECONDS: lifetime of a one-time code (300, at most 600) */
    readonly ttlSeconds: number;
    /** OTP_MAX_ATTEMPTS: wrong entries before a code is void (5) */
    readonly maxAttempts: number;
    /** OTP_RESEND_SECONDS: wait before another code may be sent (60) */
    readonly resendSeconds: number;
  };
  readonly throttle: {
    /** LOGIN_DELAY_AFTER: consecutive failures before each attempt is slowed down (3) */
    readonly delayAfter: number;
    /** LOGIN_LOCK_AFTER: consecutive failures before a temporary lock (10) */
    readonly lockAfter: number;
    /** LOGIN_LOCK_SECONDS: length of the temporary lock (900) */
    readonly lockSeconds: number;
    /** LOGIN_DISABLE_AFTER: consecutive failures that disable the account until reset (100, at most 100) */
    readonly disableAfter: number;
    /** IP_LIMIT: attempts per IP address per window on login, registration and reset (60) */
    readonly ipLimit: number;
    /** IP_WINDOW_SECONDS: the per-IP window (900) */
    readonly ipWindowSeconds: number;
    /** SUBJECT_LIMIT: registration/reset attempts per national ID per window (10) */
    readonly subjectLimit: number;
  };
  readonly argon2: {
    /** ARGON2_MEMORY_KIB (19456: OWASP minimum for argon2id), ARGON2_TIME_COST (2), ARGON2_PARALLELISM (1) */
    readonly memoryCost: number;
    readonly timeCost: number;
    readonly parallelism: number;
  };
  readonly mail: {
    /** SMTP_URL: smtp(s)://user:pass@host:port; unset means the dev outbox */
    readonly smtpUrl: string | undefined;
    /** MAIL_FROM: sender address (Hawiya <no-reply@hawiya.local>) */
    readonly from: string;
  };
  readonly sms: {
    /** SMS_GATEWAY_URL: HTTP endpoint that accepts {to, text, sender} as JSON; unset means the dev outbox */
    readonly gatewayUrl: string | undefined;
    /** SMS_GATEWAY_TOKEN: sent as "Authorization: Bearer …" */
    readonly gatewayToken: string | undefined;
    /** SMS_SENDER: sender name (Hawiya) */
    readonly sender: string;
    /** SMS_TEMPLATE: text with {code} and {minutes} */
    readonly template: string;
  };
  /** OUTBOX_DIR: where the dev outbox writes messages (var/outbox) */
  readonly outboxDir: string;
  readonly passkeys: {
    /**
     * PASSKEY_ALLOWED_AAGUIDS: comma-separated AAGUIDs of the authenticator models allowed for the high level
     * (empty by default: attestation `none`, and any device-bound passkey gives high). When set, enrolment
     * asks for attestation and refuses other models, and self or `none` attestation.
     */
    readonly allowedAaguids: readonly string[];
    /**
     * PASSKEY_ATTESTATION_ROOTS: a PEM file of the CA certificates an attestation chain must lead to
     * (required with PASSKEY_ALLOWED_AAGUIDS, and only with it); read at start, kept as PEM strings.
     */
    readonly attestationRoots: readonly string[];
  };
  /**
   * The civil-affairs services, one entry per descriptor of shared/serviceRegistry.ts: its env.url
   * (LOSS_REPORT_URL http://localhost:3001, REPLACEMENT_URL http://localhost:3002) and env.secret
   * (LOSS_REPORT_CLIENT_SECRET, REPLACEMENT_CLIENT_SECRET: 32+ characters, a dev value outside production).
   */
  readonly services: ServicesSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const r = reader(env);
  const nodeEnv = r.str('NODE_ENV', 'development');
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    r.problems.push(`NODE_ENV must be development, test or production (got "${nodeEnv}")`);
  }
  const production = nodeEnv === 'production';
  const { allowedAaguids, attestationRoots } = readPasskeys(r);
  const port = r.int('PORT', 3000, 1, 65535);
  const issuer = (r.url('ISSUER', `http://localhost:${port}`, ['http:', 'https:']) ?? '').replace(/\/$/, '');
  const databaseUrl = r.str('DATABASE_URL', 'sqlite:var/hawiya.db');
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    r.problems.push(`DATABASE_URL must start with sqlite: or postgres:// (got "${databaseUrl}")`);
  }
  const sqliteSynchronous = (r.raw('SQLITE_SYNCHRONOUS') ?? 'FULL').toUpperCase();
  if (sqliteSynchronous !== 'FULL' && sqliteSynchronous !== 'NORMAL') {
    r.problems.push(`SQLITE_SYNCHRONOUS must be FULL or NORMAL (got "${r.raw('SQLITE_SYNCHRONOUS')}")`);
  }
  const cookieKeys = (r.raw('COOKIE_KEYS') ?? DEV_COOKIE_KEY).split(',').map((k) => k.trim());
  if (cookieKeys.some((k) => k.length < 32)) {
    r.problems.push('COOKIE_KEYS must be comma-separated secrets of at least 32 characters each');
  }
  const pairwiseSalt = r.str('PAIRWISE_SALT', DEV_PAIRWISE_SALT);
  if (pairwiseSalt.length < 32) r.problems.push('PAIRWISE_SALT must be at least 32 characters');
  const keysEncryptionKey = r.raw('KEYS_ENCRYPTION_KEY');
  if (keysEncryptionKey !== undefined && Buffer.from(keysEncryptionKey, 'base64url').length !== 32) {
    r.problems.push('KEYS_ENCRYPTION_KEY must be 32 bytes, base64url-encoded');
  }
  const trustProxy = r.bool('TRUST_PROXY', false);
  const trustProxyHops = r.int('TRUST_PROXY_HOPS', trustProxy ? 1 : 0, 1, 10);
  if (!trustProxy && r.raw('TRUST_PROXY_HOPS') !== undefined) {
    r.problems.push('TRUST_PROXY_HOPS needs TRUST_PROXY=true');
  }
  const smtpUrl = r.url('SMTP_URL', undefined, ['smtp:', 'smtps:']);
  const gatewayUrl = r.url('SMS_GATEWAY_URL', undefined, ['http:', 'https:']);
  const services = readServices(r, production);
  const metrics = readMetrics(r, { production, port });

  if (production) {
    refuseUnsafeProduction(r, { issuer, cookieKeys, pairwiseSalt, smtpUrl, gatewayUrl, keysEncryptionKey });
  }

  const config: Config = {
    env: nodeEnv as NodeEnv,
    issuer,
    host: r.str('HOST', '127.0.0.1'),
    port,
    trustProxy,
    trustProxyHops: trustProxy ? trustProxyHops : 0,
    databaseUrl,
    sqliteSynchronous: sqliteSynchronous === 'NORMAL' ? 'NORMAL' : 'FULL',
    sqliteReadCacheMiB: r.int('SQLITE_READ_CACHE_MIB', 16, 1, 4096),
    sqliteMmapMiB: r.int('SQLITE_MMAP_MIB', 0, 0, 65536),
    keysDir: r.str('KEYS_DIR', 'keys'),
    keysEncryptionKey,
    keysMinPublishSeconds: r.int('KEYS_MIN_PUBLISH_SECONDS', 900, 0, 7 * 86400),
    keysPollSeconds: r.int('KEYS_POLL_SECONDS', 2, 1, 3600),
    keysRotateEveryDays: r.int('KEYS_ROTATE_EVERY_DAYS', 0, 0, 365),
    cookieKeys,
    pairwiseSalt,
    workers: r.int('WORKERS', availableParallelism(), 1, 256),
    shutdownGraceSeconds: r.int('SHUTDOWN_GRACE_SECONDS', 10, 0, 600),
    metrics,
    logLevel: r.str('LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info'),
    logSync: r.bool('LOG_SYNC', false),
    seedDemo: r.bool('SEED_DEMO', nodeEnv === 'development'),
    session: {
      idleSeconds: r.int('SESSION_IDLE_SECONDS', 3600, 60, 3600),
      maxSeconds: r.int('SESSION_MAX_SECONDS', 86400, 300, 86400),
      highIdleSeconds: r.int('SESSION_HIGH_IDLE_SECONDS', 900, 60, 900),
      highMaxSeconds: r.int('SESSION_HIGH_MAX_SECONDS', 43200, 300, 43200),
    },
    otp: {
      ttlSeconds: r.int('OTP_TTL_SECONDS', 300, 30, 600),
      maxAttempts: r.int('OTP_MAX_ATTEMPTS', 5, 1, 10),
      resendSeconds: r.int('OTP_RESEND_SECONDS', 60, 0, 600),
    },
    throttle: {
      delayAfter: r.int('LOGIN_DELAY_AFTER', 3, 1, 100),
      lockAfter: r.int('LOGIN_LOCK_AFTER', 10, 1, 100),
      lockSeconds: r.int('LOGIN_LOCK_SECONDS', 900, 1, 86400),
      disableAfter: r.int('LOGIN_DISABLE_AFTER', 100, 1, 100),
      ipLimit: r.int('IP_LIMIT', 60, 1, 100000),
      ipWindowSeconds: r.int('IP_WINDOW_SECONDS', 900, 1, 86400),
      subjectLimit: r.int('SUBJECT_LIMIT', 10, 1, 1000),
    },
    argon2: {
      memoryCost: r.int('ARGON2_MEMORY_KIB', 19456, 19456, 4194304),
      timeCost: r.int('ARGON2_TIME_COST', 2, 2, 100),
      parallelism: r.int('ARGON2_PARALLELISM', 1, 1, 16),
    },
    mail: { smtpUrl, from: r.str('MAIL_FROM', 'Hawiya <no-reply@hawiya.local>') },
    sms: {
      gatewayUrl,
      gatewayToken: r.raw('SMS_GATEWAY_TOKEN'),
      sender: r.str('SMS_SENDER', 'Hawiya'),
      template: r.str('SMS_TEMPLATE', 'هوية: رمز التحقق {code} صالح {minutes} دقائق. Hawiya code: {code}'),
    },
    outboxDir: r.str('OUTBOX_DIR', 'var/outbox'),
    passkeys: { allowedAaguids, attestationRoots },
    services,
  };
  if (!config.sms.template.includes('{code}')) r.problems.push('SMS_TEMPLATE must contain {code}');
  if (config.keysRotateEveryDays > 0 && config.keysRotateEveryDays * 86400 <= config.keysMinPublishSeconds) {
    r.problems.push(
      'KEYS_ROTATE_EVERY_DAYS must be longer than KEYS_MIN_PUBLISH_SECONDS (a next key must be published before it signs)',
    );
  }
  if (config.throttle.lockAfter > config.throttle.disableAfter) {
    r.problems.push('LOGIN_LOCK_AFTER must not exceed LOGIN_DISABLE_AFTER');
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze(config);
}

/** True when codes go to the dev outbox (development only; production refuses to start so). */
export function usesDevOutbox(config: Config): boolean {
  return !config.mail.smtpUrl || !config.sms.gatewayUrl;
}
