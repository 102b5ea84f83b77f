import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLogin, exchange, idpWithPerson, startLogin } from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';

// The claims come from the account and its registry record, read together: both must still allow release.
describe('userinfo: the account and its person', () => {
  let t: TestIdp;
  let userinfo: () => Promise<Response>;
  let accountId: string;
  let nationalId: string;

  beforeAll(async () => {
    const started = await idpWithPerson({ idp: { inProcess: true } });
    t = started.t;
    nationalId = started.person.nationalId;
    const meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    const login = await startLogin(t, started.config, { scope: 'openid profile national_id' });
    const tokens = await exchange(started.config, login, await completeLogin(t, login, started.person));
    accountId = String(tokens.claims()?.sub);
    userinfo = () =>
      t.fetch(meta.userinfo_endpoint as string, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('releases the registry names and the account username', async () => {
    const res = await userinfo();
    expect(res.status).toBe(200);
    const person = await t.idp.db('registry_persons').where({ national_id: nationalId }).first();
    expect(await res.json()).toMatchObject({
      sub: accountId,
      given_name: person.given_name_ar,
      'family_name#en': person.family_name_en,
      national_id: nationalId,
      preferred_username: 'mohammed',
    });
  });

  it('refuses the token once the person is recorded deceased, and again serves it when corrected', async () => {
    await t.idp.db('registry_persons').where({ national_id: nationalId }).update({ status: 'deceased' });
    const refused = await userinfo();
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toBe('invalid_token');
    await t.idp.db('registry_persons').where({ national_id: nationalId }).update({ status: 'living' });
    expect((await userinfo()).status).toBe(200);
  });

  it('refuses the token of an account that is no longer active', async () => {
    await t.idp.db('accounts').where({ id: accountId }).update({ status: 'locked' });
    const refused = await userinfo();
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toBe('invalid_token');
    await t.idp.db('accounts').where({ id: accountId }).update({ status: 'active' });
  });
});
