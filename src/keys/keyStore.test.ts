import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { createIssuedArtifactsRepo } from '../oidc/issuedArtifactsRepo.js';
import { createAudit } from '../shared/audit.js';
import { fakeClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { KeyUnreadable } from './keyFiles.js';
import { PREVIOUS_KEY_GRACE_MS } from './keyLifecycle.js';
import { KeyRefused } from './keyRefused.js';
import { createKeyStore } from './keyStore.js';

describe.each(ENGINES)('keyStore lifecycle (%s)', (engine) => {
  let t: TestDb;
  let dir: string;
  const kek = randomBytes(32).toString('base64url');
  const clock = fakeClock(1_800_000_000_000);

  beforeEach(async () => {
    t = await createTestDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'hawiya-keys-'));
  });
  afterEach(async () => {
    await t.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  // null: no key-encryption key configured
  const store = (encryptionKey: string | null = kek) =>
    createKeyStore({
      db: t.db,
      dir,
      encryptionKey: encryptionKey ?? undefined,
      clock,
      audit: createAudit({ db: t.db, logger: createLogger({ level: 'silent' }), clock }),
      revokeIssuedSince: async (since, trx) => ({
        rows: await createIssuedArtifactsRepo(trx).revokeIssuedSince(since, trx),
      }),
    });
  const states = async (s = store()) =>
    Object.fromEntries((await s.repo.list()).map((k) => [k.kid, `${k.alg}:${k.state}`]));
  const events = async () =>
    (await t.db('audit_events').orderBy('id').select('event')).map((r) => r.event as string);

  it('a next key signs only after it has been published for the minimum time; before that, rotate refuses', async () => {
    const s = createKeyStore({ db: t.db, dir, encryptionKey: kek, clock, minPublishMs: 15 * 60_000 });
    await s.ensureKeys();
    const next = (await s.repo.list()).find((k) => k.alg === 'ES256' && k.state === 'next');
    const refused = await s.rotate({ actor: 'test' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KeyRefused);
    expect((refused as KeyRefused).message).toContain(next?.kid);
    expect((await s.repo.list()).find((k) => k.kid === next?.kid)?.state).toBe('next');
    clock.advance(15 * 60_000);
    const done = await s.rotate({ actor: 'test' });
    expect(done.current).toBe(next?.kid);
    // An emergency does not wait.
    expect((await s.rotate({ actor: 'test', immediate: true })).immediate).toBe(true);
  });

  it('first start publishes an ES256 next key, so the first rotation changes the signing key', async () => {
    const s = store();
    const made = await s.ensureKeys();
    expect(made.map((k) => `${k.alg}:${k.state}`)).toEqual(['ES256:current', 'RS256:current', 'ES256:next']);
    expect(await s.ensureKeys()).toEqual([]);
    for (const k of made) expect(statSync(join(dir, `${k.kid}.json`)).mode & 0o777).toBe(0o600);
    const jwks = await s.loadJwks();
    const next = jwks.keys.find((k) => k.kid === made[2]?.kid);
    expect(next?.key_ops).toEqual(['verify']);

    const r = await s.rotate({ actor: 'cli:test' });
    expect(r.current).toBe(made[2]?.kid);
    expect(r.previous).toEqual([made[0]?.kid]);
    const prev = (await s.repo.list()).find((k) => k.kid === made[0]?.kid);
    expect(prev?.retireAfter).toBe(clock.now() + PREVIOUS_KEY_GRACE_MS);
    expect(await events()).toContain('key_rotated');
  });

  it('--now retires the old keys and --revoke deletes what was issued while they signed', async () => {
    const s = store();
    await s.ensureKeys();
    const since = Math.floor(clock.now() / 1000);
    clock.advance(60_000);
    const row = (type: string, id: string, iat: number, grantId?: string) => ({
      type,
      id,
      payload: JSON.stringify({ iat, accountId: 'a1', grantId }),
      grant_id: grantId ?? null,
      account_id: 'a1',
      expires_at: clock.now() + 3_600_000,
    });
    await t
      .db('oidc_payloads')
      .insert([
        row('Session', 's-new', since + 10),
        row('Session', 's-old', since - 10),
        row('Grant', 'g-new', since + 20),
        row('RefreshToken', 'rt-old-in-new-grant', since - 30, 'g-new'),
        row('Interaction', 'i-new', since + 10),
      ]);
    const r = await s.rotate({ actor: 'cli:test', immediate: true, revoke: true });
    expect(r.retired).toHaveLength(2);
    expect(r.revoked).toBe(3);
    const left = (await t.db('oidc_payloads').select('id')).map((x) => x.id).sort();
    expect(left).toEqual(['i-new', 's-old']);
    const published = (await s.loadJwks()).keys.map((k) => k.kid);
    for (const kid of r.retired) expect(published).not.toContain(kid);
  });

  it('refuses --revoke without --now', async () => {
    await expect(store().rotate({ actor: 'x', revoke: true })).rejects.toBeInstanceOf(KeyRefused);
  });

  it('refuses to rotate when a key it needs cannot be read, and changes nothing', async () => {
    await store().ensureKeys();
    const before = await states();
    const files = readdirSync(dir).sort();
    await expect(store(randomBytes(32).toString('base64url')).rotate({ actor: 'x' })).rejects.toBeInstanceOf(
      KeyUnreadable,
    );
    await expect(store(null).rotate({ actor: 'x' })).rejects.toThrow(/KEYS_ENCRYPTION_KEY is not set/);
    const next = (await store().repo.list()).find((k) => k.state === 'next');
    rmSync(join(dir, `${next?.kid}.json`));
    await expect(store().rotate({ actor: 'x' })).rejects.toThrow(new RegExp(`${next?.kid}`));
    expect(await states()).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(files.filter((f) => f !== `${next?.kid}.json`));
  });

  it('retire refuses the signing key; retires next/previous and can delete the file', async () => {
    const s = store();
    const [cur, , nxt] = await s.ensureKeys();
    await expect(s.retire(cur?.kid ?? '', { actor: 'x' })).rejects.toThrow(/signing now/);
    await expect(s.retire('es256-nope', { actor: 'x' })).rejects.toThrow(/no signing key/);
    const r = await s.retire(nxt?.kid ?? '', { actor: 'x', deleteFile: true });
    expect(r).toMatchObject({ from: 'next', alreadyRetired: false, fileDeleted: true });
    expect(readdirSync(dir)).not.toContain(`${nxt?.kid}.json`);
    expect((await states())[nxt?.kid ?? '']).toBe('ES256:retired');
    expect(await events()).toContain('key_retired');
  });

  it('prune retires previous keys only once their grace period is over', async () => {
    const s = store();
    const [cur] = await s.ensureKeys();
    await s.rotate({ actor: 'x' });
    expect(await s.prune({ actor: 'x' })).toEqual([]);
    clock.advance(PREVIOUS_KEY_GRACE_MS);
    const pruned = await s.prune({ actor: 'x', deleteFiles: true });
    expect(pruned.map((k) => k.kid)).toEqual([cur?.kid]);
    expect((await states())[cur?.kid ?? '']).toBe('ES256:retired');
    expect(readdirSync(dir)).not.toContain(`${cur?.kid}.json`);
    expect(await events()).toContain('key_pruned');
  });
});
