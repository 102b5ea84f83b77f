import * as oidc from 'openid-client';
import { normalizeDigits } from '../../src/registry/index.js';
import type { TestIdp } from './startTestIdp.js';
import { csrfOf, WebClient } from './webClient.js';

export const TEST_CLIENT = {
  client_id: 'test-rp',
  client_secret: 'test-rp-secret-0123456789abcdefghijklmnop',
  redirect_uri: 'http://127.0.0.1:9/cb',
};

/** Registers a confidential test client (client_secret_basic) straight in the clients table. */
export async function registerTestClient(t: TestIdp, extra: Record<string, unknown> = {}): Promise<void> {
  const { createClientsRepo } = await import('../../src/oidc/index.js');
  await createClientsRepo({ db: t.idp.db, clock: { now: () => Date.now() } }).save({
    client_id: TEST_CLIENT.client_id,
    client_secret: TEST_CLIENT.client_secret,
    client_name: 'Test RP',
    name_ar: 'خدمة تجريبية',
    name_en: 'Test RP',
    organization_type: 'private',
    redirect_uris: [TEST_CLIENT.redirect_uri],
    post_logout_redirect_uris: ['http://127.0.0.1:9/bye'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid offline_access profile national_id phone email',
    ...extra,
  });
}

export async function rpConfig(
  t: TestIdp,
  clientId = TEST_CLIENT.client_id,
  secret = TEST_CLIENT.client_secret,
) {
  return oidc.discovery(new URL(t.issuer), clientId, undefined, oidc.ClientSecretBasic(secret), {
    execute: [oidc.allowInsecureRequests],
  });
}

export interface Person {
  nationalId: string;
  birthDate: string;
  mobile: string;
  username: string;
  password: string;
}

export const MOHAMMED: Person = {
  nationalId: '1000000008',
  birthDate: '',
  mobile: '',
  username: 'mohammed',
  password: 'نخلة على شاطئ البحر',
};

/** Fills birth date and mobile from the demo registry. */
export async function demoPerson(
  t: TestIdp,
  nationalId: string,
  username: string,
  password: string,
): Promise<Person> {
  const row = await t.idp.db('registry_persons').where({ national_id: nationalId }).first();
  return { nationalId, birthDate: row.birth_date, mobile: row.mobile, username, password };
}

/** Registration and activation through the real forms, the code read from the SMS gateway. */
export async function registerAndActivate(t: TestIdp, p: Person, web = new WebClient()): Promise<void> {
  const form = await web.request(`${t.issuer}/register`);
  const csrf = csrfOf(await form.text());
  const mark = t.sms.mark();
  const res = await web.submit(
    `${t.issuer}/register`,
    { nationalId: p.nationalId, birthDate: p.birthDate, username: p.username, password: p.password },
    csrf,
  );
  if (res.status !== 303) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  const code = await t.sms.code(p.mobile, mark);
  const act = await web.submit(`${t.issuer}/register/activate`, { code }, csrf);
  if (act.status !== 303) throw new Error(`activation failed: ${act.status}`);
}

export interface StartedLogin {
  web: WebClient;
  uid: string;
  csrf: string;
  verifier: string;
  state: string;
  nonce: string;
  authUrl: URL;
}

/** Starts an authorization-code + PKCE request and stops on Hawiya's login page. */
export async function startLogin(
  _t: TestIdp,
  config: oidc.Configuration,
  params: Record<string, string> = {},
  web = new WebClient(),
): Promise<StartedLogin> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: TEST_CLIENT.redirect_uri,
    scope: 'openid profile national_id',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  const { res, url } = await web.follow(authUrl.href);
  const html = await res.text();
  const uid = url.match(/\/interaction\/([^/?]+)/)?.[1];
  if (!uid)
    throw new Error(
      `no interaction: ${res.status} ${url} ${html.replace(/[\s\S]*<main[^>]*>/, '').slice(0, 600)}`,
    );
  return { web, uid, csrf: csrfOf(html), verifier, state, nonce, authUrl };
}

/** Password, then the SMS code; returns the callback URL with the authorization code. */
export async function completeLogin(t: TestIdp, login: StartedLogin, p: Person): Promise<URL> {
  const mark = t.sms.mark();
  const pw = await login.web.submit(
    `${t.issuer}/interaction/${login.uid}/login`,
    { identifier: p.nationalId, password: p.password },
    login.csrf,
  );
  if (pw.status !== 303) throw new Error(`password step failed: ${pw.status}`);
  const code = normalizeDigits(await t.sms.code(p.mobile, mark));
  const otp = await login.web.submit(`${t.issuer}/interaction/${login.uid}/otp`, { code }, login.csrf);
  if (otp.status !== 303) throw new Error(`code step failed: ${otp.status} ${await otp.text()}`);
  if (process.env.DEBUG_LOGIN) process.stderr.write(`otp -> ${otp.headers.get('location')}\n`);
  let next = new URL(otp.headers.get('location') ?? '', t.issuer).href;
  for (let i = 0; i < 10; i++) {
    if (next.startsWith(TEST_CLIENT.redirect_uri)) return new URL(next);
    const res = await login.web.request(next);
    const location = res.headers.get('location');
    if (process.env.DEBUG_LOGIN) process.stderr.write(`${next} -> ${res.status} ${location}\n`);
    if (res.status === 200 && next.includes('/interaction/')) {
      // consent page
      const html = await res.text();
      const uid = next.match(/\/interaction\/([^/?]+)/)?.[1];
      const consent = await login.web.submit(
        `${t.issuer}/interaction/${uid}/consent`,
        { decision: 'allow' },
        csrfOf(html),
      );
      next = new URL(consent.headers.get('location') ?? '', t.issuer).href;
      continue;
    }
    if (!location) throw new Error(`stuck at ${next}: ${res.status}`);
    next = new URL(location, next).href;
  }
  throw new Error('login did not reach the client');
}

export async function exchange(config: oidc.Configuration, login: StartedLogin, callback: URL) {
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: login.verifier,
    expectedState: login.state,
    expectedNonce: login.nonce,
  });
}
