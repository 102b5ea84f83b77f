import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGlewlwyd, startGlewlwyd } from '../../bench/limits/glewlwyd.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The bench's Glewlwyd limit (CI installs the package): the real server with a database and key made for the
// run must serve a valid discovery document and JWKS, and stop when told. No figure is checked.
describe('npm run bench: the Glewlwyd limit', () => {
  let dir: string;
  let glw: RunningGlewlwyd | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-glewlwyd-'));
    glw = await startGlewlwyd(dir);
  }, 30_000);
  afterAll(async () => {
    await glw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a discovery document naming its own issuer and JWKS', async () => {
    if (!glw) throw new Error('Glewlwyd is not installed: apt-get install glewlwyd');
    const res = await fetch(glw.discoveryUrl);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { issuer: string; jwks_uri: string };
    expect(`${doc.issuer}/.well-known/openid-configuration`).toBe(glw.discoveryUrl);
    expect(doc.jwks_uri).toBe(glw.jwksUrl);
    expect(glw.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('serves the run’s signing key in its JWKS, public part only', async () => {
    if (!glw) throw new Error('Glewlwyd is not installed: apt-get install glewlwyd');
    const res = await fetch(glw.jwksUrl);
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, string>[] };
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys)
      expect(key).toEqual(expect.objectContaining({ kid: expect.any(String), kty: expect.any(String) }));
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('ends its process on stop()', async () => {
    if (!glw) throw new Error('Glewlwyd is not installed: apt-get install glewlwyd');
    const { pid } = glw;
    expect(alive(pid)).toBe(true);
    await glw.stop();
    expect(alive(pid)).toBe(false);
    await expect(fetch(glw.discoveryUrl)).rejects.toThrow();
  });

  it('is absent, not an error, where the binary is missing', async () => {
    await expect(startGlewlwyd(dir, join(dir, 'no-glewlwyd'))).resolves.toBeUndefined();
  });
});
