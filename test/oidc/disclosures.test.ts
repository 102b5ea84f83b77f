import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPerson } from '../accounts/journey.js';
import { completeLogin, exchange, registerTestClient, rpConfig, startLogin } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf } from '../helpers/webClient.js';

// "What each service received" end to end: a relying party signs a person in, reads userinfo and refreshes;
// the security page then lists exactly what left, and "sign out everywhere" ends it all.

const PROTOCOL = [
  'iss',
  'aud',
  'exp',
  'iat',
  'nonce',
  'at_hash',
  'c_hash',
  'sid',
  'auth_time',
  'acr',
  'amr',
  'azp',
];

describe('the disclosure record', () => {
  let t: TestIdp;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestIdp({ env: { IP_LIMIT: '1000' } });
    await registerTestClient(t);
    config = await rpConfig(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function signedIn() {
    const person = await freshPerson(t, { account: true });
    const login = await startLogin(t, config, {
      scope: 'openid offline_access profile national_id',
      prompt: 'consent',
      claims: JSON.stringify({ id_token: { national_id: null } }),
    });
    const tokens = await exchange(config, login, await completeLogin(t, login, person));
    const accountId = (await t.idp.db('accounts').where({ national_id: person.nationalId }).first())
      .id as string;
    return { person, login, tokens, accountId };
  }

  function rows(accountId: string) {
    return t.idp
      .db('disclosures')
      .where({ account_id: accountId, client_id: 'test-rp' })
      .orderBy('id', 'asc');
  }

  it('lists exactly the claims and scopes a relying party received, when and at which level, from ID token, userinfo and token issuance', async () => {
    const { login, tokens, accountId } = await signedIn();
    const idToken = (tokens.claims() ?? {}) as Record<string, unknown>;
    const info = await oidc.fetchUserInfo(config, tokens.access_token, String(idToken.sub));
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');

    const released = await rows(accountId);
    expect(released.map((r) => r.channel)).toEqual([
      'id_token',
      'access_token',
      'userinfo',
      'id_token',
      'access_token',
    ]);
    const [first, , fromUserinfo, second] = released;
    const personal = (o: object) =>
      Object.keys(o)
        .filter((k) => !PROTOCOL.includes(k))
        .sort();
    // exactly what the ID tokens and the userinfo answer carried about the person
    expect(JSON.parse(first.claims)).toEqual(personal(idToken));
    expect(JSON.parse(first.claims)).toEqual(['national_id', 'sub']);
    expect(JSON.parse(fromUserinfo.claims)).toEqual(personal(info));
    expect(JSON.parse(fromUserinfo.claims)).toContain('birthdate');
    expect(JSON.parse(second.claims)).toEqual(personal(refreshed.claims() ?? {}));
    for (const r of released) {
      expect(r.acr).toBe('urn:hawiya:acr:standard');
      expect(r.scopes.split(' ').sort()).toEqual(['national_id', 'offline_access', 'openid', 'profile']);
    }
    expect(Number(first.at)).toBeGreaterThan(Date.now() - 60_000);

    // The security page (same browser) tells it in the person's language, with withdraw.
    const { res } = await login.web.follow(`${t.issuer}/account`);
    const page = await res.text();
    expect(page).toContain('خدمة تجريبية');
    expect(page).toContain('ما تلقّته كل خدمة');
    expect(page).toContain('عند الدخول');
    expect(page).toContain('طلبتها الخدمة بعد الدخول');
    expect(page).toContain('رقم هويتك');
    expect(page).toContain('تاريخ ميلادك');
    expect(page).toContain('قياسي');
    expect(page.match(/<li class="release">/g)).toHaveLength(5);
    expect(page).toMatch(/action="\/account\/grants\/[^"]+\/revoke"/);
    const english = await (await login.web.request(`${t.issuer}/account?lang=en`)).text();
    expect(english).toContain('What each service received');
    expect(english).toContain('Your birth date');
  });

  it("a service reading the same userinfo again within an access token's life is one release, not a copy per call", async () => {
    const { tokens, accountId } = await signedIn();
    const sub = String(tokens.claims()?.sub);
    await oidc.fetchUserInfo(config, tokens.access_token, sub);
    await oidc.fetchUserInfo(config, tokens.access_token, sub);
    await oidc.fetchUserInfo(config, tokens.access_token, sub);
    expect((await rows(accountId)).map((r) => r.channel)).toEqual(['id_token', 'access_token', 'userinfo']);
    // new tokens are a new release; the same claims read with them under the same grant are not
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
    await oidc.fetchUserInfo(config, refreshed.access_token, sub);
    expect((await rows(accountId)).map((r) => r.channel)).toEqual([
      'id_token',
      'access_token',
      'userinfo',
      'id_token',
      'access_token',
    ]);
  });

  it('"sign out everywhere" ends the sessions and the refresh tokens, is audited, and is listed as a security event', async () => {
    const { login, tokens, accountId } = await signedIn();
    const { res } = await login.web.follow(`${t.issuer}/account`);
    const page = await res.text();
    expect(page).toContain('دخول ناجح');
    const ended = await login.web.submit(`${t.issuer}/account/sessions/end`, {}, csrfOf(page));
    expect(ended.status).toBe(200);
    expect(await ended.text()).toContain('خرجت من كل الأجهزة');
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token ?? '')).rejects.toThrow();
    expect(
      await t.idp.db('audit_events').where({ event: 'sessions_revoked', account_id: accountId }),
    ).toHaveLength(1);
    // the account page itself asks for a sign-in again
    const again = await login.web.request(`${t.issuer}/account`);
    expect(again.headers.get('location')).toBe('/account/login');
    // the record of what was received outlives the sessions
    expect((await rows(accountId)).length).toBeGreaterThan(0);
  });
});
