import { join } from 'node:path';
import type { Db } from '../../src/db/createDb.js';
import { withCheckDigit } from '../../src/shared/nationalId.js';
import { freePort } from './freePort.js';
import type { startSmsCatcher, startSmtpCatcher } from './messageCatchers.js';
import type { Person } from './oidcLogin.js';
import { type HawiyaProcess, startHawiyaProcess, waitUntilReady } from './startHawiyaProcess.js';

export type SmsCatcher = Awaited<ReturnType<typeof startSmsCatcher>>;

/** The environment of one real node (`npm start`, one process): its own ports, a shared database and keys. */
export async function nodeEnv(opts: {
  databaseUrl: string;
  dir: string;
  sms: SmsCatcher;
  smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  /** the public issuer, when several nodes serve one (default: this node's own address) */
  issuer?: string;
  env?: Record<string, string>;
}): Promise<Record<string, string>> {
  const [idp, loss, repl] = [await freePort(), await freePort(), await freePort()];
  return {
    NODE_ENV: 'test',
    PORT: String(idp),
    HOST: '127.0.0.1',
    ISSUER: opts.issuer ?? `http://127.0.0.1:${idp}`,
    LOSS_REPORT_URL: `http://127.0.0.1:${loss}`,
    REPLACEMENT_URL: `http://127.0.0.1:${repl}`,
    DATABASE_URL: opts.databaseUrl,
    KEYS_DIR: join(opts.dir, 'keys'),
    OUTBOX_DIR: join(opts.dir, 'outbox'),
    SMTP_URL: opts.smtp.url,
    SMS_GATEWAY_URL: opts.sms.url,
    SMS_GATEWAY_TOKEN: opts.sms.token,
    // every request of the test comes from 127.0.0.1: the per-address limit would stop the load
    IP_LIMIT: '100000',
    OTP_RESEND_SECONDS: '0',
    SEED_DEMO: 'false',
    WORKERS: '1',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
}

/** Starts a node and waits for its /readyz; the node's output is in the error when it does not get ready. */
export async function startNode(env: Record<string, string>): Promise<HawiyaProcess> {
  const proc = startHawiyaProcess(env);
  await waitUntilReady(`http://127.0.0.1:${env.PORT}/readyz`, 90_000).catch((err: Error) => {
    proc.child.kill('SIGKILL');
    throw new Error(`${err.message}\n${proc.output()}`);
  });
  return proc;
}

/** `count` living persons in the civil registry, each with its own ID and mobile, ready to register. */
export async function registryPersons(db: Db, count: number, seed: number): Promise<Person[]> {
  const persons: Person[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(seed * 1000 + i).padStart(7, '0');
    persons.push({
      nationalId: withCheckDigit(`17${n}`),
      birthDate: '1990-01-15',
      mobile: `059${n}`,
      username: `crash_${seed}_${i}`,
      password: `قمر فوق جبال السروات ${seed} ${i}`,
    });
  }
  const now = Date.now();
  await db('registry_persons').insert(
    persons.map((p) => ({
      national_id: p.nationalId,
      id_type: 'citizen',
      given_name_ar: 'سالم',
      family_name_ar: 'الحربي',
      given_name_en: 'Salem',
      family_name_en: 'Al-Harbi',
      birth_date: p.birthDate,
      sex: 'M',
      status: 'living',
      mobile: p.mobile,
      email: null,
      updated_at: now,
    })),
  );
  return persons;
}
