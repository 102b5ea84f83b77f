import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLogin, exchange, idpWithPerson, type Person, startLogin } from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';

describe('authorization code flow with openid-client', () => {
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;

  beforeAll(async () => {
    ({ t, person, config } = await idpWithPerson({ idp: { inProcess: true } }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs in with password + SMS code and reads userinfo', async () => {
    const login = await startLogin(t, config);
    const callback = await completeLogin(t, login, person);
    const tokens = await exchange(config, login, callback);
    const claims = tokens.claims();
    expect(claims?.acr).toBe('urn:hawiya:acr:standard');
    expect(claims?.amr).toEqual(['pwd', 'sms', 'mfa']);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub as string);
    expect(info.national_id).toBe('1000000008');
    expect(info.id_type).toBe('citizen');
  });

  it('the language the person signs in with comes back as the locale claim, and the last one is kept', async () => {
    const claimsAfter = async (params: Record<string, string>) => {
      const login = await startLogin(t, config, params);
      const tokens = await exchange(config, login, await completeLogin(t, login, person));
      return oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub as string);
    };
    expect((await claimsAfter({ ui_locales: 'en' })).locale).toBe('en');
    const row = await t.idp.db('accounts').where({ national_id: person.nationalId }).first('locale');
    expect(row.locale).toBe('en');
    // a service that asks in Arabic, and nothing changed at Hawiya: Arabic from now on
    expect((await claimsAfter({ ui_locales: 'ar' })).locale).toBe('ar');
  });
});
