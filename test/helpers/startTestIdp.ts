import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { type RunningIdp, startIdp } from '../../src/createIdp.js';
import type { Clock } from '../../src/shared/clock.js';
import type { Logger } from '../../src/shared/logger.js';
import { freePort } from './freePort.js';
import { startSmsCatcher, startSmtpCatcher } from './messageCatchers.js';
import { createTestDb, type TestDb } from './testDb.js';

export interface TestIdp {
  idp: RunningIdp;
  issuer: string;
  sms: Awaited<ReturnType<typeof startSmsCatcher>>;
  smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  testDb: TestDb;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real IdP on a free port with its own database, a real SMTP server and a local SMS gateway.
 * `outbox: true` leaves mail and SMS to the dev outbox instead (as in development).
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
  } = {},
): Promise<TestIdp> {
  const [sms, smtp] = await Promise.all([startSmsCatcher(), startSmtpCatcher()]);
  const testDb = await createTestDb(opts.engine ?? (process.env.TEST_ENGINE === 'pg' ? 'pg' : 'sqlite'));
  const dir = mkdtempSync(join(tmpdir(), 'hawiya-idp-'));
  const port = await freePort();
  const issuer = `http://${opts.issuerHost ?? '127.0.0.1'}:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    ISSUER: issuer,
    DATABASE_URL: testDb.url,
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
  const idp = await startIdp(loadConfig(env), { clock: opts.clock, logger: opts.logger });
  return {
    idp,
    issuer,
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
