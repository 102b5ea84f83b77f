import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { addressOf, basicAuth, personLogin } from '../load/personLogin.js';
import { RP_HEADERS } from '../scenarios.js';
import type { FreshDatabase } from '../system/freshDatabase.js';
import type { MessageStandIns } from '../system/messageStandIns.js';
import { BENCH_CLIENT, benchPerson, registerBenchClient, seedPersons } from '../system/seed.js';
import { startSystem } from '../system/startSystem.js';

const SHORT_LIVED = ['oidc_payloads', 'throttles', 'otp_codes', 'flows'];
const TIMER = join(import.meta.dirname, 'statementTimer.mjs');

type Sums = Record<string, { statements: number; ms: number }>;

/** Where a login's or a refresh's wall time goes, on the real server on PostgreSQL. */
export interface EndToEndFigure {
  flow: 'login' | 'refresh';
  concurrency: number;
  requests: number;
  /** client-side wall time of one login (all its requests) or one refresh grant, mean */
  meanMs: number;
  /** per login or refresh: statements and their time (query sent to answer) by table */
  perRequest: Record<string, { statements: number; ms: number }>;
  /** per login or refresh, the short-lived models' and counters' statements together */
  shortLived: { statements: number; ms: number };
  /** shortLived.ms / meanMs: the most a faster store for them could take off the wall time */
  shortLivedShare: number;
}

/**
 * The compiled server (one process) on a new PostgreSQL database with the statement timer loaded: logins
 * and refresh grants, `concurrency` at once for `seconds`, each figure from its own stretch of load.
 */
export async function endToEndShare(opts: {
  db: FreshDatabase;
  runDir: string;
  certFile: string;
  messages: MessageStandIns;
  persons: number;
  seconds: number;
  concurrency: number[];
  say: (line: string) => void;
}): Promise<EndToEndFigure[]> {
  const timesFile = join(opts.runDir, 'statement-times.json');
  const sys = await startSystem({
    databaseUrl: opts.db.url,
    workers: 1,
    runDir: opts.runDir,
    certFile: opts.certFile,
    messages: opts.messages,
    instruments: {
      nodeArgs: ['--import', pathToFileURL(TIMER).href],
      env: { BENCH_STATEMENT_TIMES: timesFile },
    },
    beforeStart: async (env) => {
      opts.say(`end to end: seeding ${opts.persons} persons`);
      await seedPersons(opts.db.db, { engine: 'pg', persons: opts.persons, argon2: loadConfig(env).argon2 });
      await registerBenchClient(opts.db.db);
    },
  });
  const target = { ...sys, codes: opts.messages.codes };
  let seq = 0;
  /** The server's sums since the last call (and zero again). */
  async function takeSums(): Promise<Sums> {
    const pid = sys.pids()[0] ?? 0;
    process.kill(pid, 'SIGUSR2');
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (existsSync(timesFile)) {
        const read = JSON.parse(readFileSync(timesFile, 'utf8')) as { seq: number; sums: Sums };
        if (read.seq > seq) {
          seq = read.seq;
          return read.sums;
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the statement timer did not answer');
  }
  let nextPerson = 0;
  const login = (scope?: string) => {
    const i = nextPerson++ % opts.persons;
    return personLogin(target, benchPerson(i), { address: addressOf(i), scope });
  };
  const refresh = async (token: string): Promise<string> => {
    const res = await fetch(`${sys.origin}/token`, {
      method: 'POST',
      headers: {
        ...RP_HEADERS,
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basicAuth(BENCH_CLIENT.client_id, BENCH_CLIENT.client_secret),
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString(),
    });
    if (res.status !== 200) throw new Error(`refresh: ${res.status} ${await res.text()}`);
    return String(((await res.json()) as { refresh_token: string }).refresh_token);
  };

  /** `c` loops of `step` for the stretch; each loop's state goes from one step to the next. */
  async function stretch<S>(
    flow: EndToEndFigure['flow'],
    c: number,
    start: () => Promise<S>,
    step: (s: S) => Promise<S>,
  ): Promise<EndToEndFigure> {
    const states = await Promise.all(Array.from({ length: c }, start));
    await takeSums();
    const times: number[] = [];
    const until = Date.now() + opts.seconds * 1000;
    await Promise.all(
      states.map(async (s0) => {
        let s = s0;
        while (Date.now() < until) {
          const t = performance.now();
          s = await step(s);
          times.push(performance.now() - t);
        }
      }),
    );
    const sums = await takeSums();
    const n = Math.max(1, times.length);
    const perRequest = Object.fromEntries(
      Object.entries(sums)
        .sort(([, a], [, b]) => b.ms - a.ms)
        .map(([k, v]) => [k, { statements: v.statements / n, ms: v.ms / n }]),
    );
    const shortLived = { statements: 0, ms: 0 };
    for (const t of SHORT_LIVED) {
      shortLived.statements += perRequest[t]?.statements ?? 0;
      shortLived.ms += perRequest[t]?.ms ?? 0;
    }
    const meanMs = times.reduce((a, b) => a + b, 0) / n;
    return {
      flow,
      concurrency: c,
      requests: times.length,
      meanMs,
      perRequest,
      shortLived,
      shortLivedShare: shortLived.ms / meanMs,
    };
  }

  try {
    for (let i = 0; i < 3; i++) await login(); // warm: the first requests compile and load
    const figures: EndToEndFigure[] = [];
    for (const c of opts.concurrency) {
      opts.say(`end to end: logins, ${c} at once`);
      figures.push(
        await stretch(
          'login',
          c,
          async () => undefined,
          async () => {
            await login();
          },
        ),
      );
      opts.say(`end to end: refresh grants, ${c} at once`);
      figures.push(
        await stretch(
          'refresh',
          c,
          async () => String((await login('openid profile national_id offline_access')).tokens.refresh_token),
          refresh,
        ),
      );
    }
    return figures;
  } finally {
    await sys.stop();
  }
}
