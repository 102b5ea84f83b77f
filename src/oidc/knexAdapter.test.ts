import { afterEach, describe, expect, it } from 'vitest';
import { up as forgetRawTokenIds } from '../../migrations/20261201000100_oidc_payloads_forget_raw_token_ids.js';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { fakeClock } from '../shared/clock.js';
import { createKnexAdapterFactory, oidcIdKeys, revokeAccountArtifacts, storedOidcId } from './knexAdapter.js';

const OLD_KEY = 'old-cookie-key-4f9d2c71b8e6a3059d1e7c42';
const NEW_KEY = 'new-cookie-key-8a1c5e93d7f2b6041c8e5a97';
const TOKEN = 'Yt7q0Lm3Vx9Pz2Kc5Bn8Wr1Hs4Jd6Gf0Ae3Ui7Ok2T';

describe.each(ENGINES)('knexAdapter on %s', (engine) => {
  let t: TestDb;
  const clock = fakeClock();
  afterEach(async () => {
    await t?.destroy();
  });

  const adapters = (cookieKeys: string[]) =>
    createKnexAdapterFactory({
      db: t.db,
      clock,
      idKeys: oidcIdKeys(cookieKeys),
      alreadyConsumed: (what) => new Error(what),
    });
  const dump = async () => JSON.stringify(await t.db('oidc_payloads').select());

  it('[checklist 27] review item 9: a token row holds neither the token value nor its id in clear', async () => {
    t = await createTestDb(engine);
    const at = adapters([NEW_KEY])('AccessToken');
    await at.upsert(TOKEN, { jti: TOKEN, kind: 'AccessToken', accountId: 'a1', grantId: 'g1' }, 600);
    expect(await dump()).not.toContain(TOKEN);
    const row = await t.db('oidc_payloads').where({ type: 'AccessToken' }).first();
    expect(row.id).toBe(storedOidcId(oidcIdKeys([NEW_KEY])[0] as Buffer, TOKEN));
    // Presenting the value finds it, with its jti; the row id alone finds nothing.
    expect(await at.find(TOKEN)).toMatchObject({ jti: TOKEN, accountId: 'a1' });
    expect(await at.find(row.id)).toBeUndefined();
    // Revoking everything of the account still reaches it.
    expect(await revokeAccountArtifacts(t.db, 'a1')).toBe(1);
    expect(await at.find(TOKEN)).toBeUndefined();
  });

  it('[checklist 18] review item 9: an interaction keeps no copy of the session cookie value', async () => {
    t = await createTestDb(engine);
    const interaction = adapters([NEW_KEY])('Interaction');
    await interaction.upsert(
      'int-1',
      { jti: 'int-1', session: { uid: 'u1', cookie: TOKEN, accountId: 'a1' } },
      60,
    );
    expect(await dump()).not.toContain(TOKEN);
    expect(await interaction.find('int-1')).toMatchObject({ session: { uid: 'u1', accountId: 'a1' } });
  });

  it('[checklist 18] review item 9: after COOKIE_KEYS rotate, sessions and tokens are still found, and move to the new key when saved', async () => {
    t = await createTestDb(engine);
    await adapters([OLD_KEY])('Session').upsert(TOKEN, { jti: TOKEN, uid: 'u1', accountId: 'a1' }, 600);
    await adapters([OLD_KEY])('RefreshToken').upsert('rt-1', { jti: 'rt-1', grantId: 'g1' }, 600);
    const rotated = adapters([NEW_KEY, OLD_KEY]);
    expect(await rotated('Session').find(TOKEN)).toMatchObject({ jti: TOKEN, accountId: 'a1' });
    await rotated('RefreshToken').consume('rt-1');
    expect(await rotated('RefreshToken').find('rt-1')).toMatchObject({ consumed: expect.any(Number) });

    await rotated('Session').upsert(TOKEN, { jti: TOKEN, uid: 'u1', accountId: 'a1', loginTs: 1 }, 600);
    const rows = await t.db('oidc_payloads').where({ type: 'Session' });
    expect(rows.map((r) => r.id)).toEqual([storedOidcId(oidcIdKeys([NEW_KEY])[0] as Buffer, TOKEN)]);
    expect(await adapters([NEW_KEY])('Session').find(TOKEN)).toMatchObject({ loginTs: 1 });
    await rotated('Session').destroy(TOKEN);
    expect(await t.db('oidc_payloads').where({ type: 'Session' })).toHaveLength(0);
  });

  it('[checklist 19] a session found in a request is saved again only where it still is (a sign-out in between holds), moved to the current key', async () => {
    t = await createTestDb(engine);
    await adapters([OLD_KEY])('Session').upsert(TOKEN, { jti: TOKEN, uid: 'u1', accountId: 'a1' }, 600);
    const request = {};
    const inRequest = createKnexAdapterFactory({
      db: t.db,
      clock,
      idKeys: oidcIdKeys([NEW_KEY, OLD_KEY]),
      alreadyConsumed: (what) => new Error(what),
      currentRequest: () => request,
    });
    expect(await inRequest('Session').find(TOKEN)).toMatchObject({ accountId: 'a1' });
    await inRequest('Session').upsert(TOKEN, { jti: TOKEN, uid: 'u1', accountId: 'a1', loginTs: 2 }, 600);
    const rows = await t.db('oidc_payloads').where({ type: 'Session' });
    expect(rows.map((r) => r.id)).toEqual([storedOidcId(oidcIdKeys([NEW_KEY])[0] as Buffer, TOKEN)]);
    expect(await adapters([NEW_KEY])('Session').find(TOKEN)).toMatchObject({ loginTs: 2 });
    // signed out (the row deleted elsewhere) before the request saves it: it stays gone
    await t.db('oidc_payloads').where({ type: 'Session' }).delete();
    await inRequest('Session').upsert(TOKEN, { jti: TOKEN, uid: 'u1', accountId: 'a1', loginTs: 3 }, 600);
    expect(await t.db('oidc_payloads').where({ type: 'Session' })).toHaveLength(0);
    // a new session (not found in this request) is stored
    await inRequest('Session').upsert('new-session', { jti: 'new-session', uid: 'u2', accountId: 'a1' }, 600);
    expect(await t.db('oidc_payloads').where({ type: 'Session' })).toHaveLength(1);
  });

  it('[checklist 19] a grant found in a request is saved again only where it still is: a consent withdrawn in between stays withdrawn', async () => {
    t = await createTestDb(engine);
    const grant = { jti: 'grant-1', accountId: 'a1', clientId: 'rp', openid: { scope: 'openid' } };
    await adapters([NEW_KEY])('Grant').upsert('grant-1', grant, 600);
    const request = {};
    const inRequest = createKnexAdapterFactory({
      db: t.db,
      clock,
      idKeys: oidcIdKeys([NEW_KEY]),
      alreadyConsumed: (what) => new Error(what),
      currentRequest: () => request,
    });
    // an authorization request finds the grant and widens it: saved where it is
    expect(await inRequest('Grant').find('grant-1')).toMatchObject({ clientId: 'rp' });
    const widened = { ...grant, openid: { scope: 'openid profile' } };
    await inRequest('Grant').upsert('grant-1', widened, 600);
    expect(await adapters([NEW_KEY])('Grant').find('grant-1')).toMatchObject({
      openid: { scope: 'openid profile' },
    });
    // the person withdraws the consent (the row deleted elsewhere) before the request saves it again: the
    // save fails (the answer built on it with it) and the grant stays gone
    await t.db('oidc_payloads').where({ type: 'Grant', id: 'grant-1' }).delete();
    await expect(inRequest('Grant').upsert('grant-1', widened, 600)).rejects.toThrow(/no row changed/);
    expect(await t.db('oidc_payloads').where({ type: 'Grant' })).toHaveLength(0);
    // a grant this request did not find (a new consent) is stored
    await inRequest('Grant').upsert('grant-2', { ...grant, jti: 'grant-2' }, 600);
    expect(await t.db('oidc_payloads').where({ type: 'Grant' }).select('id')).toEqual([{ id: 'grant-2' }]);
  });

  it('lookups of one value as several models at once (introspection) take one statement, each model its own row', async () => {
    t = await createTestDb(engine);
    const find = adapters([NEW_KEY, OLD_KEY]);
    await find('AccessToken').upsert(TOKEN, { jti: TOKEN, kind: 'AccessToken', accountId: 'a1' }, 600);
    await adapters([OLD_KEY])('RefreshToken').upsert('rt-2', { jti: 'rt-2', kind: 'RefreshToken' }, 600);
    let statements = 0;
    const count = () => {
      statements++;
    };
    t.db.on('query', count);
    const [at, cc, rt] = await Promise.all([
      find('AccessToken').find(TOKEN),
      find('ClientCredentials').find(TOKEN),
      find('RefreshToken').find(TOKEN),
    ]);
    expect(statements).toBe(1);
    expect(at).toMatchObject({ jti: TOKEN, kind: 'AccessToken', accountId: 'a1' });
    expect(cc).toBeUndefined();
    expect(rt).toBeUndefined();
    // under an older COOKIE_KEYS key too, and one after the other as well
    expect(await find('RefreshToken').find('rt-2')).toMatchObject({ jti: 'rt-2' });
    expect(await find('AccessToken').find('rt-2')).toBeUndefined();
    t.db.off('query', count);
  });

  it('[checklist 27] review item 9: the upgrade deletes rows stored under a raw token value; consents stay', async () => {
    t = await createTestDb(engine);
    const row = (type: string, id: string) => ({ type, id, payload: JSON.stringify({ jti: id }) });
    await t
      .db('oidc_payloads')
      .insert([
        row('AccessToken', TOKEN),
        row('RefreshToken', 'rt-raw'),
        row('Session', 'sid-raw'),
        row('Interaction', 'int-raw'),
        row('Grant', 'grant-1'),
      ]);
    await forgetRawTokenIds(t.db);
    expect(await t.db('oidc_payloads').select('type', 'id')).toEqual([{ type: 'Grant', id: 'grant-1' }]);
  });
});
