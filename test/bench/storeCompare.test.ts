import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/options.js';
import { formatStoreCompare, runStoreCompare } from '../../bench/store/storeCompare.js';
import { ROOT } from '../../bench/system/startSystem.js';

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
    // The end-to-end part runs the compiled server: built here, as the bench does.
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
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
