import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { cpuCeiling } from './limits/cpuCeiling.js';
import { GLEWLWYD_BINARY, type RunningGlewlwyd, startGlewlwyd } from './limits/glewlwyd.js';
import { type LimitProcess, startLimitProcess } from './limits/limitProcess.js';
import { runLoad } from './load/loadRun.js';
import { loginLoad } from './load/loginLoad.js';
import { addressOf, personLogin, pkce } from './load/personLogin.js';
import { readEachOnce } from './load/readEachOnce.js';
import { type Measured, withRss } from './load/rss.js';
import type { BenchOptions, ScenarioName } from './options.js';
import { type BenchResult, machine, median, type ScenarioResult } from './report.js';
import {
  accessPoolSize,
  type Endpoints,
  LIMITS_OF,
  type LimitName,
  type Pools,
  RP_HEADERS,
  requestsFor,
  SINGLE_USE_PER_SECOND,
  TOKEN_ROUTES,
} from './scenarios.js';
import { freshDatabase } from './system/freshDatabase.js';
import { startMessageStandIns } from './system/messageStandIns.js';
import { clonePool, templateRowsOf } from './system/pools.js';
import { benchPerson, registerBenchClient, seedPersons } from './system/seed.js';
import { ROOT, startSystem } from './system/startSystem.js';
import { makeBenchCertificate } from './system/tls.js';

type Say = (line: string) => void;

async function endpointsOf(origin: string, headers: Record<string, string>): Promise<Endpoints> {
  const url = `${origin}/.well-known/openid-configuration`;
  // Asked once more on a failed connection: in two of four 1,000,000-person runs on a busy machine this
  // first request after the template login failed with "fetch failed", the server never seeing it (likely a
  // kept-alive socket the server had just closed after the seconds the bench spent reading the template).
  const res = await fetch(url, { headers }).catch(() => fetch(url, { headers }));
  const d = (await res.json()) as Record<string, string>;
  const path = (u: string | undefined) => (u ? new URL(u).pathname : '');
  return {
    discovery: '/.well-known/openid-configuration',
    jwks: path(d.jwks_uri),
    userinfo: path(d.userinfo_endpoint),
    introspection: path(d.introspection_endpoint),
    token: path(d.token_endpoint),
  };
}

/** Starts everything, runs each scenario against the system and its limits in turn, stops everything. */
export async function runBench(opts: BenchOptions, say: Say = () => undefined): Promise<BenchResult> {
  const started = new Date();
  if (opts.build) {
    say('building: npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  const runDir = mkdtempSync(join(ROOT, 'var', 'bench-'));
  const cleanups: (() => Promise<void>)[] = [];
  let keep = false;
  try {
    const db = await freshDatabase({ engine: opts.engine, pgUrl: opts.pgUrl, runDir });
    cleanups.push(() => db.drop());
    const tls = makeBenchCertificate(runDir);
    const messages = await startMessageStandIns(tls);
    cleanups.push(() => messages.close());
    // Seeded before the server starts: it meets an existing population, as after a migration in production.
    let seeded = { seconds: 0, accountIds: [] as string[] };
    const sys = await startSystem({
      databaseUrl: db.url,
      workers: opts.workers,
      runDir,
      certFile: tls.certFile,
      messages,
      beforeStart: async (env) => {
        say(`seeding ${opts.persons} persons and accounts (one argon2id hash shared)`);
        seeded = await seedPersons(db.db, {
          engine: opts.engine,
          persons: opts.persons,
          argon2: loadConfig(env).argon2,
        });
        await registerBenchClient(db.db);
      },
    });
    cleanups.push(() => sys.stop());
    const config = loadConfig(sys.env);
    const target = { ...sys, codes: messages.codes };
    // Person 0's real login leaves the rows every pool is copied from.
    const template = await personLogin(target, benchPerson(0), {
      address: addressOf(0),
      scope: 'openid profile national_id offline_access',
    });
    const grantRow = (await db.db('oidc_payloads').where({ type: 'Grant' }).orderBy('id').first()) as {
      id: string;
    };
    const templateRows = await templateRowsOf(db.db, grantRow.id, template.verifier);
    const pool = async (kind: 'AccessToken' | 'RefreshToken' | 'AuthorizationCode', n: number, offset = 0) =>
      n === 0
        ? []
        : clonePool(db.db, templateRows, {
            kind,
            n,
            accountIds: seeded.accountIds,
            cookieKeys: sys.cookieKeys,
            engine: opts.engine,
            offset,
          });
    let tokensSeconds = 0;
    if (opts.tokens > 0) {
      say(`storing ${opts.tokens} access and refresh tokens`);
      const t0 = Date.now();
      await pool('AccessToken', Math.ceil(opts.tokens / 2));
      await pool('RefreshToken', Math.floor(opts.tokens / 2), 7);
      tokensSeconds = (Date.now() - t0) / 1000;
    }
    const sysEndpoints = await endpointsOf(sys.origin, RP_HEADERS);
    const discovery = await (
      await fetch(`${sys.origin}${sysEndpoints.discovery}`, { headers: RP_HEADERS })
    ).text();

    const limits = new Map<string, LimitProcess>();
    const bareVerifier = { value: '' };
    const bare = async () => {
      if (!limits.has('provider')) {
        const { challenge, verifier } = pkce();
        bareVerifier.value = verifier;
        limits.set(
          'provider',
          await startLimitProcess('bareProvider.ts', { BENCH_PKCE_CHALLENGE: challenge }),
        );
      }
      return limits.get('provider') as LimitProcess;
    };
    // Glewlwyd is optional: without its package the limit is absent from the figures, and the notes say so.
    let glewlwydTried = false;
    let glewlwyd: RunningGlewlwyd | undefined;
    const glewlwydLimit = async () => {
      if (!glewlwydTried) {
        glewlwydTried = true;
        glewlwyd = await startGlewlwyd(runDir);
        if (!glewlwyd) say(`Glewlwyd: absent (${GLEWLWYD_BINARY} is not installed), not measured`);
      }
      return glewlwyd;
    };
    cleanups.push(async () => {
      for (const l of limits.values()) await l.stop();
      await glewlwyd?.stop();
    });

    const runs = opts.scenarios.map((name) => ({
      name,
      system: [] as Measured[],
      limits: new Map<LimitName, Measured[]>(),
    }));
    let nextPerson = 1;
    for (let round = 0; round < opts.rounds; round++) {
      for (const run of runs) {
        say(`${run.name}: the system${opts.rounds > 1 ? ` (round ${round + 1})` : ''}`);
        run.system.push(await measureSystem(run.name));
        if (!opts.limits) continue;
        for (const limit of LIMITS_OF[run.name]) {
          say(`${run.name}: ${limit}`);
          const measured = await measureLimit(run.name, limit);
          if (!measured) continue;
          run.limits.set(limit, [...(run.limits.get(limit) ?? []), measured]);
        }
      }
    }

    // Issue 12: p99 of the token routes at half their peak rate. Paced at half the median peak, once.
    const halfRate = new Map<ScenarioName, Measured & { target: number }>();
    if (opts.halfRate)
      for (const run of runs.filter((r) => TOKEN_ROUTES.includes(r.name))) {
        const target = Math.max(1, Math.round(median(run.system).rate / 2));
        say(`${run.name}: the system at half its peak rate (${target} req/s)`);
        halfRate.set(run.name, { ...(await measureSystem(run.name, target)), target });
      }

    /** The system's figure for a scenario; `rate`: paced at that many requests a second. */
    async function measureSystem(name: ScenarioName, rate?: number): Promise<Measured> {
      if (name === 'login') {
        return withRss(sys.pids, () =>
          loginLoad({
            connections: opts.connections,
            duration: opts.duration,
            login: () => {
              // Persons 1… in turn (0 made the template login); past the last, they start again.
              const i = 1 + ((nextPerson++ - 1) % (opts.persons - 1));
              return personLogin(target, benchPerson(i), { address: addressOf(i) });
            },
          }),
        );
      }
      const n = opts.duration * SINGLE_USE_PER_SECOND;
      const pools: Pools = {
        access: await pool('AccessToken', accessPoolSize(name, n), 3),
        refresh: name === 'refresh' ? await pool('RefreshToken', n, 5) : [],
        codes: name === 'code' ? await pool('AuthorizationCode', n, 11) : [],
        verifier: templateRows.verifier,
      };
      const spec = requestsFor(name, {
        endpoints: sysEndpoints,
        pools,
        headers: RP_HEADERS,
        cc: {
          id: 'replacement',
          secret: config.services.replacement.clientSecret,
          scope: 'civil:loss_report.close',
          resource: `${config.services['loss-report'].url}/api`,
        },
      });
      if (name === 'userinfo')
        await readEachOnce(`${sys.origin}${sysEndpoints.userinfo}`, pools.access, RP_HEADERS);
      return withRss(sys.pids, () =>
        runLoad(
          { origin: sys.origin, connections: opts.connections, duration: opts.duration, rate, ...spec },
          { wrk: opts.wrk, tmpDir: runDir },
        ),
      );
    }

    /** One GET, the same every time, against a limit's own process. */
    function fixedGet(pid: number, origin: string, path: string): Promise<Measured> {
      return withRss(
        () => [pid],
        () =>
          runLoad(
            {
              origin,
              connections: opts.connections,
              duration: opts.duration,
              fixed: { method: 'GET', path, headers: {} },
              expectStatus: 200,
            },
            { wrk: opts.wrk, tmpDir: runDir },
          ),
      );
    }

    /** A limit's figure for this scenario; undefined when the limit is absent on this machine. */
    async function measureLimit(name: ScenarioName, limit: LimitName): Promise<Measured | undefined> {
      // every core busy with this one operation: its CPU cost is cores ÷ rate
      const cpu = async (kind: 'argon2' | 'jwt'): Promise<Measured> => {
        const m = await withRss(
          () => [],
          () =>
            cpuCeiling({
              kind,
              cores: opts.cores,
              seconds: Math.min(opts.duration, 5),
              argon2: config.argon2,
            }),
        );
        return m.rate > 0 ? { ...m, cpuUsPerUnit: (opts.cores * 1e6) / m.rate } : m;
      };
      if (limit === 'argon2id ceiling') return cpu('argon2');
      if (limit === 'ES256 signing ceiling') return cpu('jwt');
      if (limit === 'bare Koa') {
        if (!limits.has('koa'))
          limits.set('koa', await startLimitProcess('bareKoa.ts', { BENCH_DOCUMENT: discovery }));
        const koa = limits.get('koa') as LimitProcess;
        return fixedGet(koa.pid, koa.origin, '/');
      }
      if (limit === 'Glewlwyd') {
        const glw = await glewlwydLimit();
        if (!glw) return undefined;
        const url = new URL(name === 'jwks' ? glw.jwksUrl : glw.discoveryUrl);
        return fixedGet(glw.pid, glw.origin, url.pathname);
      }
      const provider = await bare();
      const endpoints = await endpointsOf(provider.origin, {});
      const mint = async (kind: string, n: number) =>
        n === 0
          ? []
          : ((await (await fetch(`${provider.origin}/__bench/pool?kind=${kind}&n=${n}`)).json()) as string[]);
      const n = opts.duration * SINGLE_USE_PER_SECOND * 3;
      const pools: Pools = {
        access: await mint('AccessToken', accessPoolSize(name, n)),
        refresh: name === 'refresh' ? await mint('RefreshToken', n) : [],
        codes: name === 'code' ? await mint('AuthorizationCode', n) : [],
        verifier: bareVerifier.value,
      };
      const spec = requestsFor(name as Exclude<ScenarioName, 'login'>, {
        endpoints,
        pools,
        headers: {},
        cc: { id: 'bench-rp', secret: 'bench-rp-secret-Qx7Vb2Nm9Kc4Jd8Hf1Gs6Wt5zRp3', scope: 'api:close' },
      });
      if (name === 'userinfo')
        await readEachOnce(`${provider.origin}${endpoints.userinfo}`, pools.access, {});
      return withRss(
        () => [provider.pid],
        () =>
          runLoad(
            { origin: provider.origin, connections: opts.connections, duration: opts.duration, ...spec },
            { wrk: opts.wrk, tmpDir: runDir },
          ),
      );
    }

    const scenarios: ScenarioResult[] = runs.map((run) => {
      const system = median(run.system);
      const limitsOut = [...run.limits.entries()].map(([name, list]) => {
        const m = median(list);
        const cpuShare =
          m.cpuUsPerUnit !== undefined && system.cpuUsPerUnit
            ? m.cpuUsPerUnit / system.cpuUsPerUnit
            : undefined;
        return {
          name,
          ...m,
          share: m.rate > 0 ? system.rate / m.rate : 0,
          ...(cpuShare ? { cpuShare } : {}),
        };
      });
      return {
        name: run.name,
        unit: run.name === 'login' ? 'logins/s' : 'req/s',
        system,
        limits: limitsOut,
        rounds: run.system.length,
        ...(halfRate.has(run.name) ? { atHalfRate: halfRate.get(run.name) } : {}),
      };
    });
    return {
      schema: 'hawiya-bench/1',
      date: started.toISOString(),
      engine: opts.engine,
      database: db.describe,
      machine: machine(opts.cores),
      // A password in the PostgreSQL URL stays out of the file.
      options: { ...opts, pgUrl: redactedUrl(opts.pgUrl), resultsDir: undefined },
      relaxations: [
        ...sys.relaxations,
        'throttles: none raised (each simulated person has its own address and, unless personsReused, logs in once)',
      ],
      limitNotes: [
        'bare oidc-provider: its shipped in-memory adapter with room for 2,000,000 entries (1,000 by default) so the pools fit; tokens minted through its models',
        'CPU ceilings: one worker thread per core in the bench process',
        ...(glewlwydTried
          ? [
              glewlwyd
                ? `Glewlwyd ${glewlwyd.version} (C): its OpenID Connect plugin alone, one ES256 key, a fresh SQLite database from the package's schema`
                : `Glewlwyd: absent, not measured (${GLEWLWYD_BINARY} is not installed: apt-get install glewlwyd)`,
            ]
          : []),
      ],
      seeding: {
        persons: opts.persons,
        loginsStarted: nextPerson - 1,
        personsReused: nextPerson > opts.persons,
        personsSeconds: seeded.seconds,
        sharedPasswordHash: true,
        tokens: opts.tokens,
        tokensSeconds,
        pools:
          'copies of one real login’s rows (grant + token per value), fresh values stored as the server stores them',
      },
      argon2: config.argon2,
      scenarios,
    };
  } catch (err) {
    // The server's log and database stay for a look.
    say(`failed: the run's folder is kept: ${runDir}`);
    keep = true;
    throw err;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    // BENCH_KEEP_RUN=1 keeps the run folder (database, server log) for a look afterwards
    if (!keep && !process.env.BENCH_KEEP_RUN) rmSync(runDir, { recursive: true, force: true });
  }
}

function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href.replace(/\/$/, '');
  } catch {
    return '(unparsable)';
  }
}
