import * as oidc from 'openid-client';
import { normalizeDigits } from '../../src/registry/index.js';
import { startTestIdp, type TestIdp } from './startTestIdp.js';
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

/** The TestIdp's fetch as openid-client's customFetch (the two libraries type a request body differently). */
export function idpFetch(t: TestIdp): oidc.CustomFetch {
  return (url, options) => t.fetch(url, options as RequestInit);
}

export async function rpConfig(
  t: TestIdp,
  clientId = TEST_CLIENT.client_id,
  secret = TEST_CLIENT.client_secret,
) {
  return oidc.discovery(new URL(t.issuer), clientId, undefined, oidc.ClientSecretBasic(secret), {
    execute: [oidc.allowInsecureRequests],
    // discovery, token, userinfo, introspection, revocation and PAR all go through the IdP's own fetch
    [oidc.customFetch]: idpFetch(t),
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
export async function registerAndActivate(t: TestIdp, p: Person, web = new WebClient(t)): Promise<void> {
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
  t: TestIdp,
  config: oidc.Configuration,
  params: Record<string, string> = {},
  web = new WebClient(t),
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

/** The password, then the SMS code from the catcher; the location the code step answered with. */
export async function passwordAndCode(
  t: TestIdp,
  login: { web: WebClient; uid: string; csrf: string },
  p: Person,
): Promise<string> {
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
  return otp.headers.get('location') ?? '';
}

/** Password, then the SMS code; returns the callback URL with the authorization code. */
export async function completeLogin(t: TestIdp, login: StartedLogin, p: Person): Promise<URL> {
  return followToClient(t, login, await passwordAndCode(t, login, p));
}

/**
 * The one-time offer to add a passkey after a first password + SMS login, answered "not now" as a person
 * in a hurry would; the URL the login resumes at.
 */
export async function skipPasskeyOffer(web: WebClient, offerUrl: string): Promise<string> {
  const page = await web.request(offerUrl);
  if (page.status !== 200) throw new Error(`no passkey offer at ${offerUrl}: ${page.status}`);
  const skip = await web.submit(`${offerUrl}/skip`, {}, csrfOf(await page.text()));
  if (skip.status !== 303) throw new Error(`skipping the passkey offer failed: ${skip.status}`);
  return new URL(skip.headers.get('location') ?? '', offerUrl).href;
}

/** From a location the login step answered with, on to the client's callback (allowing consent on the way). */
export async function followToClient(t: TestIdp, login: StartedLogin, location: string): Promise<URL> {
  let next = new URL(location, t.issuer).href;
  for (let i = 0; i < 10; i++) {
    if (next.startsWith(TEST_CLIENT.redirect_uri)) return new URL(next);
    if (next.endsWith('/passkey-offer')) {
      next = await skipPasskeyOffer(login.web, next);
      continue;
    }
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

/** Registers any client straight in the clients table, with the test client's defaults under it. */
export async function registerClient(
  t: TestIdp,
  client: Record<string, unknown> & { client_id: string; redirect_uris: string[] },
): Promise<void> {
  const { createClientsRepo } = await import('../../src/oidc/index.js');
  await createClientsRepo({ db: t.idp.db, clock: { now: () => Date.now() } }).save({
    client_secret: `${client.client_id}-secret-0123456789abcdefghijklmnop`,
    client_name: client.client_id,
    organization_type: 'private',
    post_logout_redirect_uris: [],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid offline_access profile national_id phone email',
    ...client,
  });
}

/** The secret registerClient gives a client that names none. */
export function secretOf(clientId: string): string {
  return `${clientId}-secret-0123456789abcdefghijklmnop`;
}

/**
 * An authorization URL for `/auth` with PKCE S256, state and nonce for the test client; `params` override
 * the defaults, and a param set to '' is left out (to build broken requests).
 */
export async function authRequest(t: TestIdp, params: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const all: Record<string, string> = {
    client_id: TEST_CLIENT.client_id,
    redirect_uri: TEST_CLIENT.redirect_uri,
    response_type: 'code',
    scope: 'openid profile national_id',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  };
  const url = new URL('/auth', t.issuer);
  for (const [k, v] of Object.entries(all)) if (v !== '') url.searchParams.set(k, v);
  return { url, verifier, state, nonce };
}

/**
 * Opens an authorization URL built elsewhere (PAR, other clients) and stops on Hawiya's login page; with a
 * WebClient, or in a new one sending through `via.fetch` (e.g. the TestIdp's).
 */
export async function openLoginPage(
  url: URL | string,
  via: WebClient | { fetch: typeof fetch } = new WebClient(),
): Promise<{ web: WebClient; uid: string; csrf: string }> {
  const web = via instanceof WebClient ? via : new WebClient(via);
  const { res, url: at } = await web.follow(String(url));
  const html = await res.text();
  const uid = at.match(/\/interaction\/([^/?]+)/)?.[1];
  if (!uid) throw new Error(`no interaction: ${res.status} ${at} ${html.slice(0, 300)}`);
  return { web, uid, csrf: csrfOf(html) };
}

export interface LoginOutcome {
  /** the redirect URI with the authorization response */
  callback: URL;
  /** the HTML of every consent page shown on the way */
  consentPages: string[];
}

/**
 * Password and SMS code, then on to the client: like completeLogin, for any redirect URI, with the consent
 * decision chosen, and reporting the consent pages it met.
 */
export async function loginToCallback(
  t: TestIdp,
  login: { web: WebClient; uid: string; csrf: string },
  p: Person,
  opts: { redirectUri?: string; consent?: 'allow' | 'deny' } = {},
): Promise<LoginOutcome> {
  const redirectUri = opts.redirectUri ?? TEST_CLIENT.redirect_uri;
  const location = await passwordAndCode(t, login, p);
  return continueToCallback(t, login.web, new URL(location, t.issuer).href, {
    redirectUri,
    consent: opts.consent,
  });
}

/**
 * Follows redirects from `start` until the redirect URI, answering consent pages with `consent` (allow by
 * default); for requests made with an existing session (prompt=none, a second client).
 */
export async function continueToCallback(
  t: TestIdp,
  web: WebClient,
  start: string,
  opts: { redirectUri?: string; consent?: 'allow' | 'deny' } = {},
): Promise<LoginOutcome> {
  const redirectUri = opts.redirectUri ?? TEST_CLIENT.redirect_uri;
  const consentPages: string[] = [];
  let next = start;
  for (let i = 0; i < 12; i++) {
    if (next.startsWith(redirectUri)) return { callback: new URL(next), consentPages };
    if (next.endsWith('/passkey-offer')) {
      next = await skipPasskeyOffer(web, next);
      continue;
    }
    const res = await web.request(next);
    const location = res.headers.get('location');
    if (res.status === 200 && next.includes('/interaction/')) {
      const html = await res.text();
      if (!html.includes('name="decision"'))
        throw new Error(`stopped on a page that is not consent: ${next}`);
      consentPages.push(html);
      const uid = next.match(/\/interaction\/([^/?]+)/)?.[1];
      const answer = await web.submit(
        `${t.issuer}/interaction/${uid}/consent`,
        { decision: opts.consent ?? 'allow' },
        csrfOf(html),
      );
      next = new URL(answer.headers.get('location') ?? '', t.issuer).href;
      continue;
    }
    if (!location) throw new Error(`stuck at ${next}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    next = new URL(location, next).href;
  }
  throw new Error('login did not reach the client');
}

/** The usual start of a protocol test: an IdP, the test client, and Mohammed registered and activated. */
export async function idpWithPerson(
  opts: { idp?: Parameters<typeof startTestIdp>[0] } = {},
): Promise<{ t: TestIdp; person: Person; config: oidc.Configuration }> {
  const t = await startTestIdp(opts.idp);
  await registerTestClient(t);
  const person = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
  await registerAndActivate(t, person);
  return { t, person, config: await rpConfig(t) };
}
