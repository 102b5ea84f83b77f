import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCli } from '../../src/cli/createCli.js';
import type { KeysListJson } from '../../src/cli/keysList.js';
import { buildProgram } from '../../src/cli/main.js';
import { createOutput } from '../../src/cli/output.js';
import { createKeyStore } from '../../src/keys/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { createTestDb, type TestDb } from '../helpers/testDb.js';

/** Runs one command in this process (the same program the binary runs), capturing what it prints. */
async function hawiya(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d) => {
    text += String(d);
  });
  const cli = createCli({ out: createOutput({ stdout, stderr: new PassThrough() }), env });
  await buildProgram(cli).parseAsync(['node', 'hawiya', ...args]);
  return { code: cli.exitCode, stdout: text };
}

describe('hawiya keys list shows the next scheduled step', () => {
  let tdb: TestDb;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    tdb = await createTestDb('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'hawiya-cli-schedule-'));
    env = { NODE_ENV: 'test', DATABASE_URL: tdb.url, KEYS_DIR: dir };
    await createKeyStore({ db: tdb.db, dir, clock: systemClock }).ensureKeys();
  });
  afterAll(async () => {
    await tdb?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says when each algorithm rotates (and when RS256 gets its next key) with KEYS_ROTATE_EVERY_DAYS', async () => {
    const keys = await createKeyStore({ db: tdb.db, dir, clock: systemClock }).repo.list();
    const es = keys.find((k) => k.alg === 'ES256' && k.state === 'current');
    const esNext = keys.find((k) => k.alg === 'ES256' && k.state === 'next');
    const rs = keys.find((k) => k.alg === 'RS256' && k.state === 'current');
    const day = 86_400_000;
    const iso = (ms: number) => new Date(ms).toISOString();

    const on = await hawiya(['keys', 'list'], { ...env, KEYS_ROTATE_EVERY_DAYS: '30' });
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('Automatic rotation every 30 days (KEYS_ROTATE_EVERY_DAYS). Next steps:');
    expect(on.stdout).toContain(
      `ES256: rotate: the next key starts signing (${esNext?.kid}), ${iso((es?.activatedAt ?? 0) + 30 * day)}`,
    );
    expect(on.stdout).toContain(`RS256: publish a next key, ${iso((rs?.activatedAt ?? 0) + 29 * day)}`);

    const off = await hawiya(['keys', 'list'], env);
    expect(off.stdout).toContain(
      'Automatic rotation is off (KEYS_ROTATE_EVERY_DAYS=0). Next steps:\n  none scheduled',
    );
  });

  it("--json holds the same schedule beside the keys (epoch ms, as the keys' dates)", async () => {
    const keys = await createKeyStore({ db: tdb.db, dir, clock: systemClock }).repo.list();
    const es = keys.find((k) => k.alg === 'ES256' && k.state === 'current');
    const esNext = keys.find((k) => k.alg === 'ES256' && k.state === 'next');
    const rs = keys.find((k) => k.alg === 'RS256' && k.state === 'current');
    const day = 86_400_000;

    const on = await cliInProcess(['keys', 'list', '--json'], { ...env, KEYS_ROTATE_EVERY_DAYS: '30' });
    expect(on.code, on.stderr).toBe(0);
    const shown: KeysListJson = JSON.parse(on.stdout);
    expect(shown.keys.map((k) => k.kid).sort()).toEqual(keys.map((k) => k.kid).sort());
    expect(shown.keys.every((k) => k.file === 'ok')).toBe(true);
    expect(shown.schedule.rotateEveryDays).toBe(30);
    const byAlg = Object.fromEntries(shown.schedule.nextSteps.map((s) => [s.alg, s]));
    expect(Object.keys(byAlg).sort()).toEqual([...new Set(keys.map((k) => k.alg))].sort());
    expect(byAlg.ES256).toEqual({
      step: 'rotate',
      alg: 'ES256',
      kid: esNext?.kid,
      at: (es?.activatedAt ?? 0) + 30 * day,
      due: false,
    });
    expect(byAlg.RS256).toEqual({
      step: 'publish',
      alg: 'RS256',
      at: (rs?.activatedAt ?? 0) + 29 * day,
      due: false,
    });
    // The order is the text's: soonest first.
    const at = shown.schedule.nextSteps.map((s) => s.at);
    expect(at).toEqual([...at].sort((a, b) => a - b));

    const off = await cliInProcess(['keys', 'list', '--json'], env);
    expect(JSON.parse(off.stdout).schedule).toEqual({ rotateEveryDays: 0, nextSteps: [] });
  });
});
