import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeLogin,
  exchange,
  idpWithPerson,
  type Person,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { oidcRowId } from '../helpers/oidcRows.js';
import type { TestIdp } from '../helpers/startTestIdp.js';

// What a copy of the database (a backup, a stolen file) gives away: no code, token or session cookie.
describe('tokens at rest', () => {
  let t: TestIdp;
  let person: Person;
  let config: Awaited<ReturnType<typeof idpWithPerson>>['config'];

  beforeAll(async () => {
    ({ t, person, config } = await idpWithPerson({ idp: { inProcess: true } }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 27] review item 9: the database holds no code, access token, refresh token or session id in clear, and all of them work', async () => {
    const login = await startLogin(t, config, { scope: 'openid offline_access profile', prompt: 'consent' });
    const callback = await completeLogin(t, login, person);
    const code = callback.searchParams.get('code') ?? '';
    const session = login.web.cookie('hawiya.sid') ?? '';
    expect(session).not.toBe('');
    const codeRow = await t.idp
      .db('oidc_payloads')
      .where({ type: 'AuthorizationCode', id: oidcRowId(t, code) });
    expect(codeRow).toHaveLength(1);

    const tokens = await exchange(config, login, callback);
    const accessToken = tokens.access_token;
    const refreshToken = tokens.refresh_token ?? '';
    expect(refreshToken).not.toBe('');

    const dump = JSON.stringify(await t.idp.db('oidc_payloads').select());
    for (const [what, value] of Object.entries({ code, accessToken, refreshToken, session })) {
      expect(dump.includes(value), `${what} stored in clear`).toBe(false);
    }
    for (const [type, value] of [
      ['AccessToken', accessToken],
      ['RefreshToken', refreshToken],
      ['Session', session],
    ] as const) {
      expect(await t.idp.db('oidc_payloads').where({ type, id: oidcRowId(t, value) }), type).toHaveLength(1);
    }

    // The tokens and the session still do their job.
    const meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    const info = await t.fetch(meta.userinfo_endpoint, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(info.status).toBe(200);
    // The session cookie still signs the person in: prompt=none gets a code, not login_required.
    const silent = oidc.buildAuthorizationUrl(config, {
      redirect_uri: TEST_CLIENT.redirect_uri,
      scope: 'openid',
      prompt: 'none',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const { url } = await login.web.follow(silent.href, (next) => next.startsWith(TEST_CLIENT.redirect_uri));
    expect(new URL(url).searchParams.get('error')).toBeNull();
    expect(new URL(url).searchParams.get('code')).toBeTruthy();
  });
});
