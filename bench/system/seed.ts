import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createPasswordHasher } from '../../src/accounts/passwordHasher.js';
import { createClientsRepo } from '../../src/oidc/clientsRepo.js';
import { withCheckDigit } from '../../src/registry/index.js';
import { bulkInsert } from './bulkInsert.js';

/** One seeded person: what the login form and the SMS gateway see. */
export interface BenchPerson {
  nationalId: string;
  mobile: string;
  password: string;
}

export const BENCH_PASSWORD = 'bench: a long passphrase nobody types';

export const BENCH_CLIENT = {
  client_id: 'bench-rp',
  client_secret: 'bench-rp-secret-Qx7Vb2Nm9Kc4Jd8Hf1Gs6Wt5zRp3',
  redirect_uri: 'https://rp.bench.invalid/cb',
};

/** Person i of the seeded population (the same i gives the same person in every run). */
export function benchPerson(i: number): BenchPerson {
  const n = String(i).padStart(8, '0');
  return { nationalId: withCheckDigit(`1${n}`), mobile: `05${n}`, password: BENCH_PASSWORD };
}

/** Person i's registry row and account row. */
function rowsOf(i: number, accountId: string, passwordHash: string, now: number) {
  const p = benchPerson(i);
  return {
    person: {
      national_id: p.nationalId,
      id_type: 'citizen',
      given_name_ar: 'محمد',
      family_name_ar: 'العتيبي',
      given_name_en: 'Mohammed',
      family_name_en: 'Alotaibi',
      birth_date: '1990-01-01',
      sex: 'M',
      status: 'living',
      mobile: p.mobile,
      email: null,
      updated_at: now,
    },
    account: {
      id: accountId,
      national_id: p.nationalId,
      username: `bench${i}`,
      password_hash: passwordHash,
      email: null,
      status: 'active',
      failed_logins: 0,
      locked_until: null,
      created_at: now,
      activated_at: now,
      password_changed_at: now,
      // The one-time passkey offer was already made: the login measured is a returning person's.
      passkey_offered_at: now,
      locale: 'ar',
    },
  };
}

/**
 * N registry persons and N active accounts (bulkInsert: one transaction per table). The argon2id
 * hash (the configured parameters) is computed once and shared by every account: hashing a million
 * passwords would take hours and measure nothing the login scenario does not.
 */
export async function seedPersons(
  db: Knex,
  opts: {
    engine: 'sqlite' | 'pg';
    persons: number;
    argon2: { memoryCost: number; timeCost: number; parallelism: number };
  },
): Promise<{ seconds: number; accountIds: string[] }> {
  const started = Date.now();
  const passwordHash = await createPasswordHasher(opts.argon2).hash(BENCH_PASSWORD);
  const now = Date.now();
  const accountIds = Array.from({ length: opts.persons }, () => randomUUID());
  function* rows(which: 'person' | 'account') {
    for (let i = 0; i < opts.persons; i++) yield rowsOf(i, accountIds[i] ?? '', passwordHash, now)[which];
  }
  await bulkInsert(db, opts.engine, 'registry_persons', rows('person'));
  await bulkInsert(db, opts.engine, 'accounts', rows('account'));
  return { seconds: (Date.now() - started) / 1000, accountIds };
}

/** A third-party relying party (consent shown) with the code, refresh and PKCE flow the scenarios use. */
export async function registerBenchClient(db: Knex): Promise<void> {
  await createClientsRepo({ db, clock: { now: () => Date.now() } }).save({
    client_id: BENCH_CLIENT.client_id,
    client_secret: BENCH_CLIENT.client_secret,
    client_name: 'Bench RP',
    name_ar: 'خدمة القياس',
    name_en: 'Bench RP',
    organization_type: 'private',
    redirect_uris: [BENCH_CLIENT.redirect_uri],
    post_logout_redirect_uris: [],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid offline_access profile national_id',
  });
}
