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
});
