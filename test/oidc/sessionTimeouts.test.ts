import * as oidc from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/shared/clock.js';
import {
  completeLogin,
  demoPerson,
  exchange,
  registerAndActivate,
  registerTestClient,
  rpConfig,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

/** A silent re-authentication (prompt=none) with the browser's existing session: where does it land? */
async function silent(
  _t: TestIdp,
  config: oidc.Configuration,
  web: Awaited<ReturnType<typeof startLogin>>['web'],
) {
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: TEST_CLIENT.redirect_uri,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
    state: 's',
    prompt: 'none',
  });
  const { url: landed } = await web.follow(url.href, (next) => next.startsWith(TEST_CLIENT.redirect_uri));
  return new URL(landed).searchParams;
}

// oidc-provider stamps logins with the real time; each case gets its own IdP and a fake clock that starts
// now, so the adapter's expiry and the absolute limit are both measured from the login.
async function setup() {
  const clock = fakeClock();
  const t = await startTestIdp({
    inProcess: true,
    clock,
    env: { SESSION_IDLE_SECONDS: '600', SESSION_MAX_SECONDS: '900' },
  });
  await registerTestClient(t);
  const person = await demoPerson(t, '2105739466', 'omar', 'a walk by the old harbour');
  await registerAndActivate(t, person);
  const config = await rpConfig(t);
  const login = await startLogin(t, config);
  await exchange(config, login, await completeLogin(t, login, person));
  return { clock, t, config, web: login.web };
}

describe('[checklist 17] session timeouts (idle 10 min, absolute 15 min)', () => {
  let s: Awaited<ReturnType<typeof setup>> | undefined;
  afterEach(async () => {
    await s?.t.close();
    s = undefined;
  });

  it('stores the session for no longer than the inactivity timeout', async () => {
    s = await setup();
    const rows = await s.t.idp.db('oidc_payloads').where({ type: 'Session' }).whereNotNull('account_id');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Number(row.expires_at) - s.clock.now()).toBeLessThanOrEqual(600_000);
  });

  it('an idle session ends after the inactivity timeout; an active one survives it', async () => {
    s = await setup();
    s.clock.advance(400_000);
    expect((await silent(s.t, s.config, s.web)).get('code')).toBeTruthy(); // used: the idle clock restarts
    s.clock.advance(400_000); // 13 min after login, but only 6.7 min idle
    expect((await silent(s.t, s.config, s.web)).get('code')).toBeTruthy();
    s.clock.advance(601_000);
    expect((await silent(s.t, s.config, s.web)).get('error')).toBe('login_required');
  });

  it('an active session still ends at the absolute timeout', async () => {
    s = await setup();
    for (let i = 0; i < 2; i++) {
      s.clock.advance(400_000); // every 6.7 min: never idle long enough
      expect((await silent(s.t, s.config, s.web)).get('code')).toBeTruthy();
    }
    s.clock.advance(200_000); // 16.7 min after login
    expect((await silent(s.t, s.config, s.web)).get('error')).toBe('login_required');
  });
});
