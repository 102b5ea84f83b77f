import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCli } from '../../src/cli/createCli.js';
import { buildProgram } from '../../src/cli/main.js';
import { createOutput } from '../../src/cli/output.js';
import { createKeyStore } from '../../src/keys/index.js';
import { systemClock } from '../../src/shared/clock.js';
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
});
