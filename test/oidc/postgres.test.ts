import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeLogin,
  demoPerson,
  exchange,
  type Person,
  registerAndActivate,
  registerTestClient,
  rpConfig,
  startLogin,
} from '../helpers/oidcLogin.js';
import { oidcRowId } from '../helpers/oidcRows.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The same protocol on PostgreSQL: the knex adapter's rows, expiry and consumption there.
describe('OpenID Connect on PostgreSQL', () => {
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true, engine: 'pg' });
    await registerTestClient(t);
    person = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
    await registerAndActivate(t, person);
    config = await rpConfig(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs on PostgreSQL', () => {
    expect(t.testDb.engine).toBe('pg');
    expect(t.env.DATABASE_URL).toMatch(/^postgres:/);
  });

  it('[checklist 27][checklist 29] login, userinfo, code reuse refused, refresh rotation and replay detection', async () => {
    const login = await startLogin(t, config, {
      scope: 'openid offline_access profile national_id',
      prompt: 'consent',
    });
    const callback = await completeLogin(t, login, person);
    expect(callback.searchParams.get('iss')).toBe(t.issuer);
    const code = callback.searchParams.get('code') ?? '';
    const stored = await t.idp
      .db('oidc_payloads')
      .where({ type: 'AuthorizationCode', id: oidcRowId(t, code) })
      .first();
    expect(Number(stored.expires_at) - Date.now()).toBeLessThanOrEqual(60_000);

    const tokens = await exchange(config, login, callback);
    expect(tokens.claims()?.acr).toBe('urn:hawiya:acr:standard');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub as string);
    expect(info.national_id).toBe(person.nationalId);
    expect(info.preferred_username).toBe(person.username);

    await expect(exchange(config, login, callback)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck)).rejects.toThrow();

    // The first exchange's grant is gone; a fresh login gives a new family to rotate.
    const login2 = await startLogin(t, config, { scope: 'openid offline_access profile', prompt: 'consent' });
    const tokens2 = await exchange(config, login2, await completeLogin(t, login2, person));
    const rt1 = tokens2.refresh_token ?? '';
    expect(rt1).not.toBe('');
    const refreshed = await oidc.refreshTokenGrant(config, rt1);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(rt1);
    const info2 = await oidc.fetchUserInfo(config, refreshed.access_token, tokens2.claims()?.sub as string);
    expect(info2.sub).toBe(tokens2.claims()?.sub);

    await expect(oidc.refreshTokenGrant(config, rt1)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token ?? '')).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});
