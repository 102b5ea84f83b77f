import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { GLEWLWYD_BINARY } from '../../bench/limits/glewlwyd.js';
import { parseBenchArgs } from '../../bench/options.js';
import { formatTable } from '../../bench/report.js';
import { runBench } from '../../bench/runBench.js';
import { formatStoreCompare, runStoreCompare } from '../../bench/store/storeCompare.js';
import { ROOT } from '../../bench/system/startSystem.js';

// Built here, as the bench does (a dist/ left from older sources would lack newer migrations): once per
// file, and both bench tests in this one file, so that no build rewrites dist/ while the other's server starts.
let built = false;
function buildOnce(): void {
  if (!built) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  built = true;
}

// The bench itself, in a tiny run: it must start the compiled server, seed, drive three scenarios and their
// limits, and give a result of the documented shape. No figure is checked (speed lives in `npm run bench`).
describe('npm run bench', () => {
  it('parses its flags and refuses an unknown scenario', () => {
    const o = parseBenchArgs([
      '--pg',
      '--workers',
      '2',
      '--persons',
      '1000000',
      '--scenarios',
      'login,userinfo',
    ]);
    expect(o).toMatchObject({
      engine: 'pg',
      workers: 2,
      persons: 1_000_000,
      scenarios: ['login', 'userinfo'],
    });
    expect(() => parseBenchArgs(['--scenarios', 'teleport'])).toThrow(/unknown scenario teleport/);
  });

  it('measures a tiny run and reports every figure beside its limits', { timeout: 180_000 }, async () => {
    buildOnce();
    const opts = parseBenchArgs([
      '--no-build',
      '--no-wrk',
      '--persons',
      '20',
      '--tokens',
      '50',
      '--duration',
      '1',
      '--connections',
      '2',
      '--scenarios',
      'discovery,refresh,login',
    ]);
    const result = await runBench(opts);

    expect(result).toMatchObject({ schema: 'hawiya-bench/1', engine: 'sqlite', options: { persons: 20 } });
    expect(result.relaxations.length).toBeGreaterThan(0);
    expect(result.seeding).toMatchObject({ persons: 20, sharedPasswordHash: true, tokens: 50 });
    expect(result.scenarios.map((s) => s.name)).toEqual(['discovery', 'refresh', 'login']);
    const limitNames = Object.fromEntries(result.scenarios.map((s) => [s.name, s.limits.map((l) => l.name)]));
    expect(limitNames).toEqual({
      // Glewlwyd where its package is installed (as in CI), absent otherwise
      discovery: ['bare oidc-provider', 'bare Koa', ...(existsSync(GLEWLWYD_BINARY) ? ['Glewlwyd'] : [])],
      refresh: ['bare oidc-provider'],
      login: ['argon2id ceiling'],
    });
    for (const s of result.scenarios) {
      for (const f of [s.system, ...s.limits]) {
        expect(f).toEqual(
          expect.objectContaining({
            rate: expect.any(Number),
            p50Ms: expect.any(Number),
            p99Ms: expect.any(Number),
            errors: expect.any(Number),
            rssMiB: expect.any(Array),
          }),
        );
      }
      // Every request of the system was answered as expected, and its processes' memory was seen.
      expect(s.system.errors).toBe(0);
      expect(s.system.rssMiB.length).toBeGreaterThan(0);
      expect(s.limits[0]?.share).toEqual(expect.any(Number));
      // the server's CPU time per request (or login) beside the limit's, whatever else ran meanwhile
      expect(s.system.cpuUsPerUnit).toBeGreaterThan(0);
      expect(s.limits[0]?.cpuUsPerUnit).toBeGreaterThan(0);
      expect(s.limits[0]?.cpuShare).toBeGreaterThan(0);
    }
    // a token route again, paced at half its peak: its latency there (issue 12's p99 target); no other
    const [discovery, refresh, login] = result.scenarios;
    expect(refresh?.atHalfRate).toEqual(
      expect.objectContaining({
        target: Math.max(1, Math.round((refresh?.system.rate ?? 0) / 2)),
        p99Ms: expect.any(Number),
        errors: 0,
        tool: 'autocannon',
      }),
    );
    expect(refresh?.atHalfRate?.rate).toBeGreaterThan(0);
    expect(discovery?.atHalfRate).toBeUndefined();
    expect(login?.atHalfRate).toBeUndefined();
    const table = formatTable(result);
    expect(table).toMatch(/at ½ peak \([\d.,]+ paced\)/);
    expect(table.split('\n')[0]).toMatch(
      /scenario.*figure.*limit.*share.*CPU µs.*CPU share.*p50.*p99.*peak RSS/,
    );
    expect(table).toContain('argon2id ceiling');
  });
});

// `npm run bench -- --store-compare` in a tiny run: PostgreSQL (the app's code) and Redis each run every
// cycle without an error, and the end-to-end stretches find the short-lived models' statements in a login
// and a refresh. No figure is checked (speed lives in the bench).
describe('npm run bench -- --store-compare', () => {
  it('parses its flags', () => {
    expect(
      parseBenchArgs(['--store-compare', '--op-seconds', '3', '--redis-url', 'redis://127.0.0.1:6380']),
    ).toMatchObject({ storeCompare: true, opSeconds: 3, redisUrl: 'redis://127.0.0.1:6380' });
    expect(parseBenchArgs([])).toMatchObject({ storeCompare: false, opSeconds: 2 });
  });

  it('compares every cycle on both stores and splits a login and a refresh by table', {
    timeout: 240_000,
  }, async () => {
    buildOnce(); // the end-to-end part runs the compiled server
    const r = await runStoreCompare({
      pgUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432',
      redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      concurrency: [2],
      opSeconds: 0.2,
      rounds: 1,
      e2eSeconds: 1,
      e2eConcurrency: [1],
      persons: 20,
      build: false,
      cores: availableParallelism(),
    });
    expect(r).toMatchObject({ schema: 'hawiya-store-compare/1', options: { concurrency: [2] } });
    expect(r.stores.pg).toMatch(/^PostgreSQL /);
    expect(r.stores.redis).toMatch(/^Redis /);
    // The durable Redis (appendfsync always) is measured wherever redis-server is installed, as here and in CI.
    expect(r.stores.redisDurable).toMatch(/appendfsync always/);
    for (const c of r.cycles) for (const run of c.runs) expect(run.redisDurable, c.name).toBeDefined();
    expect(r.cycles.map((c) => c.name)).toEqual([
      'Interaction',
      'Session',
      'AuthorizationCode',
      'AccessToken',
      'RefreshToken',
      'throttle',
      'SMS code',
    ]);
    for (const c of r.cycles) {
      expect(c.runs.map((run) => run.concurrency)).toEqual([2]);
      for (const run of c.runs)
        for (const store of [run.pg, run.redis, ...(run.redisDurable ? [run.redisDurable] : [])]) {
          expect(store.errors, c.name).toBe(0);
          expect(store.cycles, c.name).toBeGreaterThan(0);
        }
    }
    expect(r.endToEnd.map((e) => [e.flow, e.concurrency])).toEqual([
      ['login', 1],
      ['refresh', 1],
    ]);
    for (const e of r.endToEnd) {
      expect(e.requests).toBeGreaterThan(0);
      expect(e.perRequest.oidc_payloads?.statements, e.flow).toBeGreaterThan(0);
      expect(e.shortLived.statements).toBeGreaterThanOrEqual(e.perRequest.oidc_payloads?.statements ?? 0);
    }
    // A login also counts its attempts and checks its SMS code.
    expect(r.endToEnd[0]?.perRequest.throttles?.statements).toBeGreaterThan(0);
    expect(r.endToEnd[0]?.perRequest.otp_codes?.statements).toBeGreaterThan(0);
    expect(formatStoreCompare(r)).toMatch(/RefreshToken .*\n[\s\S]*refresh +1 /);
  });
});
