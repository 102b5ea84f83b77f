import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/options.js';
import { formatTable } from '../../bench/report.js';
import { runBench } from '../../bench/runBench.js';
import { ROOT } from '../../bench/system/startSystem.js';

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
    // Built here, as the bench does: a dist/ left from older sources would lack newer migrations.
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
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
      discovery: ['bare oidc-provider', 'bare Koa'],
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
    }
    const table = formatTable(result);
    expect(table.split('\n')[0]).toMatch(/scenario.*figure.*limit.*share.*p50.*p99.*peak RSS/);
    expect(table).toContain('argon2id ceiling');
  });
});
