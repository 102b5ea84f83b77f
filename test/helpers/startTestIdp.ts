import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createIdp, type RunningIdp, startIdp } from '../../src/createIdp.js';
import type { Metrics } from '../../src/metrics/createMetrics.js';
import type { Clock } from '../../src/shared/clock.js';
import type { Logger } from '../../src/shared/logger.js';
import { freePort } from './freePort.js';
import { inProcessFetch } from './inProcessFetch.js';
import { startSmsCatcher, startSmtpCatcher } from './messageCatchers.js';
import { createTestDb, type TestDb } from './testDb.js';

/** The issuer of an in-process IdP: never listened on, nor resolvable. */
export const IN_PROCESS_ISSUER = 'http://idp.test';

export interface TestIdp {
  /** without a port (inProcess) there is no `url` or `server` */
  idp: Omit<RunningIdp, 'url' | 'server'>;
  issuer: string;
  /** reaches this IdP: global fetch, or straight into its app when in-process (WebClient takes it) */
  fetch: typeof fetch;
  sms: Awaited<ReturnType<typeof startSmsCatcher>>;
  smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  testDb: TestDb;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real IdP on a free port with its own database, a real SMTP server and a local SMS gateway.
 * `outbox: true` leaves mail and SMS to the dev outbox instead (as in development).
 * `inProcess: true` builds the same IdP without a port: requests go to its `listener` through
 * `t.fetch` (issuer http://idp.test), for request-level tests in which Hawiya never calls itself or a
 * server of the test's. SMTP and the SMS gateway stay real servers.
 */
export async function startTestIdp(
  opts: {
    engine?: 'sqlite' | 'pg';
    env?: Record<string, string>;
    outbox?: boolean;
    clock?: Clock;
    /** a logger of the test's own, e.g. one writing into memory */
    logger?: Logger;
    /** the issuer's host name: `localhost` for passkeys in a browser (WebAuthn refuses an IP address) */
    issuerHost?: string;
    /** no port: requests reach the app through `fetch` (see above) */
    inProcess?: boolean;
    /** the DATABASE_URL the IdP gets, from the test database's (e.g. through a proxy the test can stop) */
    databaseUrl?: (url: string) => string;
    /** Prometheus metrics the IdP counts into (the test scrapes them) */
    metrics?: Metrics;
  } = {},
): Promise<TestIdp> {
  const [sms, smtp] = await Promise.all([startSmsCatcher(), startSmtpCatcher()]);
  const testDb = await createTestDb(opts.engine ?? (process.env.TEST_ENGINE === 'pg' ? 'pg' : 'sqlite'));
  const dir = mkdtempSync(join(tmpdir(), 'hawiya-idp-'));
  // In-process, nothing listens: no PORT (the default is never bound).
  const port = opts.inProcess ? undefined : await freePort();
  const issuer = port ? `http://${opts.issuerHost ?? '127.0.0.1'}:${port}` : IN_PROCESS_ISSUER;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    ...(port ? { PORT: String(port) } : {}),
    HOST: '127.0.0.1',
    ISSUER: issuer,
    DATABASE_URL: opts.databaseUrl ? opts.databaseUrl(testDb.url) : testDb.url,
    KEYS_DIR: join(dir, 'keys'),
    OUTBOX_DIR: join(dir, 'outbox'),
    SEED_DEMO: 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOSS_REPORT_URL: 'http://127.0.0.1:1/loss',
    REPLACEMENT_URL: 'http://127.0.0.1:1/replacement',
    OTP_RESEND_SECONDS: '0',
    ...(opts.outbox ? {} : { SMTP_URL: smtp.url, SMS_GATEWAY_URL: sms.url, SMS_GATEWAY_TOKEN: sms.token }),
    ...opts.env,
  };
  const config = loadConfig(env);
  const deps = { clock: opts.clock, logger: opts.logger, metrics: opts.metrics };
  let idp: TestIdp['idp'];
  let fetchIdp: typeof fetch;
  if (opts.inProcess) {
    const built = await createIdp(config, deps);
    idp = built;
    fetchIdp = inProcessFetch(built.listener);
  } else {
    idp = await startIdp(config, deps);
    fetchIdp = (input, init) => globalThis.fetch(input, init);
  }
  return {
    idp,
    issuer,
    fetch: fetchIdp,
    sms,
    smtp,
    testDb,
    env,
    async close() {
      await idp.close();
      await Promise.all([sms.close(), smtp.close()]);
      await testDb.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
