import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/shared/clock.js';
import { freshPerson } from '../accounts/journey.js';
import {
  completeLogin,
  exchange,
  followToClient,
  registerTestClient,
  rpConfig,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, type WebClient } from '../helpers/webClient.js';

// Levels at the protocol: how a request for a higher level than the session's is answered, max_age, and
// session lifetimes by level.

const HIGH = 'urn:hawiya:acr:high';
const STRICT = 'high-only-rp';

describe('levels: step-up errors, max_age, session limits by level', () => {
  let t: TestIdp;
  let config: oidc.Configuration;
  let strict: oidc.Configuration;
  const clock = fakeClock();

  beforeAll(async () => {
    t = await startTestIdp({ clock, env: { IP_LIMIT: '1000' } });
    await registerTestClient(t);
    await registerTestClient(t, { client_id: STRICT, client_name: 'High only', min_acr: HIGH });
    config = await rpConfig(t);
    strict = await rpConfig(t, STRICT, TEST_CLIENT.client_secret);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A silent request (prompt=none) with this browser's session: the parameters it comes back with. */
  async function silent(web: WebClient, params: Record<string, string> = {}, rp = config) {
    const url = oidc.buildAuthorizationUrl(rp, {
      redirect_uri: TEST_CLIENT.redirect_uri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 's',
      prompt: 'none',
      ...params,
    });
    const { url: landed } = await web.follow(url.href, (next) => next.startsWith(TEST_CLIENT.redirect_uri));
    return new URL(landed).searchParams;
  }

  async function standardSession() {
    const person = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    const tokens = await exchange(config, login, await completeLogin(t, login, person));
    return { person, web: login.web, claims: tokens.claims() };
  }

  it('[checklist 16] prompt=none above the session level gets exactly login_required, however the level is asked', async () => {
    const { web } = await standardSession();
    expect((await silent(web, { acr_values: HIGH })).get('error')).toBe('login_required');
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: [HIGH] } } });
    expect((await silent(web, { claims })).get('error')).toBe('login_required');
    expect((await silent(web, {}, strict)).get('error')).toBe('login_required');
    // the session's own level still passes silently
    expect((await silent(web, { acr_values: 'urn:hawiya:acr:standard' })).get('code')).toBeTruthy();
  });

  it('[checklist 16] max_age older than the login asks for the password again, and the new login has a new auth_time', async () => {
    const { person, web, claims } = await standardSession();
    clock.advance(5_000);
    await new Promise((r) => setTimeout(r, 2100)); // auth_time is in whole seconds, by the real clock
    const again = await startLogin(t, config, { max_age: '1' }, web);
    const page = await (await web.request(`${t.issuer}/interaction/${again.uid}`)).text();
    expect(page).toContain('name="password"');
    const tokens = await exchange(config, again, await completeLogin(t, again, person));
    expect(Number(tokens.claims()?.auth_time)).toBeGreaterThan(Number(claims?.auth_time));
  });

  it('[checklist 17] a high session is stored for at most 15 minutes and ends after 15 idle minutes; a standard one lasts an idle hour', async () => {
    // A device-bound passkey, enrolled on the account page after a password + SMS login.
    const { web: standardWeb } = await standardSession();
    const { res } = await standardWeb.follow(`${t.issuer}/account`);
    const csrf = csrfOf(await res.text());
    const key = new SoftAuthenticator({ origin: t.issuer, rpId: new URL(t.issuer).hostname });
    const options = await standardWeb.submit(`${t.issuer}/account/passkeys/options`, {}, csrf);
    const enrolled = await standardWeb.submit(
      `${t.issuer}/account/passkeys`,
      { name: 'key', response: key.register(await options.json()) },
      csrf,
    );
    expect(enrolled.status).toBe(303);

    const login = await startLogin(t, config);
    const opts = await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/passkey/options`,
      {},
      login.csrf,
    );
    const done = await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/passkey`,
      { response: key.assert(await opts.json()) },
      login.csrf,
    );
    const tokens = await exchange(
      config,
      login,
      await followToClient(t, login, done.headers.get('location') ?? ''),
    );
    expect(tokens.claims()?.acr).toBe(HIGH);
    const sessions = await t.idp.db('oidc_payloads').where({ type: 'Session' }).whereNotNull('account_id');
    const expiries = sessions.map((s) => Number(s.expires_at) - clock.now());
    expect(Math.min(...expiries)).toBeLessThanOrEqual(900_000);
    expect(Math.max(...expiries)).toBeGreaterThan(900_000); // the standard sessions: an hour

    clock.advance(10 * 60_000);
    expect((await silent(login.web)).get('code')).toBeTruthy(); // used: the idle clock restarts
    clock.advance(16 * 60_000);
    expect((await silent(login.web)).get('error')).toBe('login_required');
    expect((await silent(standardWeb)).get('code')).toBeTruthy(); // 26 minutes idle: within the hour
  });
});
