import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Locale, translate } from '../../src/i18n/messages.js';
import { normalizeDigits } from '../../src/registry/index.js';
import {
  authRequest,
  idpWithPerson,
  loginToCallback,
  openLoginPage,
  type Person,
  registerClient,
  skipPasskeyOffer,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf } from '../helpers/webClient.js';

const LOSS_REPORT_CALLBACK = 'http://127.0.0.1:1/loss/callback';

function expectNoFraming(res: Response, what: string): void {
  expect(res.headers.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('cache-control'), what).toMatch(/no-store/);
}

// Hawiya's login and consent pages, and what consent records.
describe('login and consent pages', () => {
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;

  beforeAll(async () => {
    ({ t, person, config } = await idpWithPerson({ idp: { inProcess: true } }));
  });
  afterAll(async () => {
    await t?.close();
  });

  const scopeText = (locale: Locale, scope: string) => translate(locale, `claim.${scope}` as 'claim.profile');

  it('[checklist 31] login and consent pages refuse framing and caching; credential and consent POSTs answer 303', async () => {
    const req = await authRequest(t, { scope: 'openid phone' });
    const { web, uid, csrf } = await openLoginPage(req.url, t);

    const loginPage = await web.request(`${t.issuer}/interaction/${uid}`);
    expect(loginPage.status).toBe(200);
    expectNoFraming(loginPage, 'login page');
    expect(loginPage.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);

    const mark = t.sms.mark();
    const pw = await web.submit(
      `${t.issuer}/interaction/${uid}/login`,
      { identifier: person.nationalId, password: person.password },
      csrf,
    );
    expect(pw.status).toBe(303);
    const otpPage = await web.request(new URL(pw.headers.get('location') ?? '', t.issuer).href);
    expect(otpPage.status).toBe(200);
    expectNoFraming(otpPage, 'code page');
    const code = normalizeDigits(await t.sms.code(person.mobile, mark));
    const otp = await web.submit(`${t.issuer}/interaction/${uid}/otp`, { code }, csrf);
    expect(otp.status).toBe(303);

    // The first password + SMS login offers a passkey once; "not now" goes on to the consent page.
    const next = new URL(otp.headers.get('location') ?? '', t.issuer).href;
    const { res: consentPage, url } = await web.follow(
      next.endsWith('/passkey-offer') ? await skipPasskeyOffer(web, next) : next,
    );
    expect(consentPage.status).toBe(200);
    expect(url).toMatch(/\/interaction\//);
    expectNoFraming(consentPage, 'consent page');
    const html = await consentPage.text();
    expect(html).toContain('name="decision"');
    const consentUid = url.match(/\/interaction\/([^/?]+)/)?.[1];
    const allow = await web.submit(
      `${t.issuer}/interaction/${consentUid}/consent`,
      { decision: 'allow' },
      csrfOf(html),
    );
    expect(allow.status).toBe(303);
  });

  it('[checklist 36] the consent page names the client in Arabic and every scope asked for; deny gives access_denied at the RP', async () => {
    const scopes = ['profile', 'national_id', 'email'];
    const req = await authRequest(t, { scope: `openid ${scopes.join(' ')}` });
    const page = await openLoginPage(req.url, t);
    const { callback, consentPages } = await loginToCallback(t, page, person, { consent: 'deny' });
    expect(consentPages).toHaveLength(1);
    const html = consentPages[0] ?? '';
    expect(html).toContain('lang="ar"');
    expect(html).toContain('خدمة تجريبية');
    for (const s of scopes) expect(html, s).toContain(scopeText('ar', s));
    expect(html).not.toContain(scopeText('ar', 'phone'));

    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
    expect(callback.searchParams.get('state')).toBe(req.state);
    expect(callback.searchParams.get('iss')).toBe(t.issuer);
  });

  it("[checklist 36] the consent page links to the service's registered home page (client_uri), and only then", async () => {
    await registerClient(t, {
      client_id: 'shop-with-site',
      client_name: 'Shop',
      name_ar: 'متجر',
      name_en: 'Shop',
      redirect_uris: ['https://shop.example/cb'],
      client_uri: 'https://shop.example/',
    });
    const req = await authRequest(t, {
      client_id: 'shop-with-site',
      redirect_uri: 'https://shop.example/cb',
      scope: 'openid profile',
    });
    const { consentPages } = await loginToCallback(t, await openLoginPage(req.url, t), person, {
      redirectUri: 'https://shop.example/cb',
      consent: 'deny',
    });
    const html = consentPages[0] ?? '';
    expect(html).toContain('متجر');
    expect(html).toMatch(/<p class="client-site">[^<]*موقع الخدمة:[^<]*<a href="https:\/\/shop\.example\/"/);
    // The test client registered no home page: no link.
    const plain = await authRequest(t, { scope: 'openid profile national_id email' });
    const other = await loginToCallback(t, await openLoginPage(plain.url, t), person, { consent: 'deny' });
    expect(other.consentPages[0] ?? '').not.toContain('client-site');
  });

  it('[checklist 36] with ui_locales=en the consent page names the client and scopes in English', async () => {
    // (phone was granted in the first test, so it is not asked again)
    const scopes = ['profile', 'national_id'];
    const req = await authRequest(t, { scope: `openid ${scopes.join(' ')}`, ui_locales: 'en' });
    const page = await openLoginPage(req.url, t);
    const { consentPages } = await loginToCallback(t, page, person, { consent: 'deny' });
    const html = consentPages[0] ?? '';
    expect(html).toContain('lang="en"');
    expect(html).toContain('Test RP');
    for (const s of scopes) expect(html, s).toContain(scopeText('en', s));
  });

  it('[checklist 36] an allowed consent is remembered: the next login for the same client asks nothing, a new scope is asked alone', async () => {
    const first = await authRequest(t, { scope: 'openid profile national_id' });
    const firstLogin = await loginToCallback(t, await openLoginPage(first.url, t), person);
    expect(firstLogin.consentPages).toHaveLength(1);
    const tokens = await oidc.authorizationCodeGrant(config, firstLogin.callback, {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
      expectedNonce: first.nonce,
    });
    expect(tokens.scope?.split(' ').sort()).toEqual(['national_id', 'openid', 'profile']);

    // A new browser, a new session: the grant is found again.
    const second = await authRequest(t, { scope: 'openid profile national_id' });
    const secondLogin = await loginToCallback(t, await openLoginPage(second.url, t), person);
    expect(secondLogin.consentPages).toHaveLength(0);
    expect(secondLogin.callback.searchParams.get('code')).toBeTruthy();

    const third = await authRequest(t, { scope: 'openid profile national_id email' });
    const thirdLogin = await loginToCallback(t, await openLoginPage(third.url, t), person);
    expect(thirdLogin.consentPages).toHaveLength(1);
    const html = thirdLogin.consentPages[0] ?? '';
    expect(html).toContain(scopeText('ar', 'email'));
    expect(html).not.toContain(scopeText('ar', 'profile'));
  });

  it('[checklist 36] a first-party government client (the loss-report service) skips consent', async () => {
    const req = await authRequest(t, {
      client_id: 'loss-report',
      redirect_uri: LOSS_REPORT_CALLBACK,
      scope: 'openid profile national_id',
    });
    const { callback, consentPages } = await loginToCallback(t, await openLoginPage(req.url, t), person, {
      redirectUri: LOSS_REPORT_CALLBACK,
    });
    expect(consentPages).toHaveLength(0);
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  it('[checklist 36] a private client cannot skip consent even when it claims to be first party', async () => {
    const { createClientsRepo } = await import('../../src/oidc/index.js');
    await createClientsRepo({ db: t.idp.db, clock: { now: () => Date.now() } }).save({
      client_id: 'sneaky-rp',
      client_secret: 'sneaky-rp-secret-0123456789abcdefghijklmnop',
      organization_type: 'private',
      first_party: true,
      redirect_uris: ['http://127.0.0.1:9/sneaky'],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const req = await authRequest(t, { client_id: 'sneaky-rp', redirect_uri: 'http://127.0.0.1:9/sneaky' });
    const res = await t.fetch(req.url, { redirect: 'manual' });
    // The client's metadata is refused outright, so no login (and no skipped consent) can happen.
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('invalid_client');
  });
});
