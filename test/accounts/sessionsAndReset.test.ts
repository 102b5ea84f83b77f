import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText } from '../../src/i18n/messages.js';
import {
  exchange,
  type Person,
  registerTestClient,
  rpConfig,
  type StartedLogin,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';
import {
  alertText,
  codeStep,
  freshPerson,
  getForm,
  passwordStep,
  toCallback,
  toCodeStep,
  unescapeHtml,
} from './journey.js';

/** Keeps every Set-Cookie line it receives, to check the attributes. */
class RecordingClient extends WebClient {
  setCookies: string[] = [];
  override async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await super.request(url, init);
    this.setCookies.push(...res.headers.getSetCookie());
    return res;
  }
}

const SID = 'hawiya.sid';

describe('sessions, logout, password reset and CSRF', () => {
  let t: TestIdp;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true, env: { IP_LIMIT: '1000' } });
    await registerTestClient(t);
    config = await rpConfig(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function fullLogin(
    p: Person,
    web: WebClient = new RecordingClient(t),
    params: Record<string, string> = {},
  ) {
    const login = await startLogin(t, config, params, web);
    const code = await toCodeStep(t, login, p);
    const ok = await codeStep(t, login, code);
    expect(ok.status).toBe(303);
    const callback = await toCallback(t, login.web, ok.headers.get('location') ?? '');
    const tokens = await exchange(config, login, callback);
    return { login, tokens };
  }

  /** prompt=none with the given cookies: the error (or code) the client gets back. */
  async function silentAuth(cookie: string): Promise<URLSearchParams> {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: TEST_CLIENT.redirect_uri,
      scope: 'openid',
      prompt: 'none',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: oidc.randomState(),
    });
    const web = new WebClient(t);
    let next = url.href;
    for (let i = 0; i < 10; i++) {
      if (next.startsWith(TEST_CLIENT.redirect_uri)) return new URL(next).searchParams;
      const res = await web.request(next, { headers: { cookie: cookie } });
      const loc = res.headers.get('location');
      if (!loc) throw new Error(`silent auth stopped at ${next}: ${res.status}`);
      next = new URL(loc, next).href;
    }
    throw new Error('silent auth did not return');
  }

  it('[checklist 18] the session cookie is HttpOnly, SameSite=Lax, opaque and at least 128 bits', async () => {
    const p = await freshPerson(t, { account: true });
    const web = new RecordingClient(t);
    await fullLogin(p, web);
    const line = web.setCookies
      .filter((c) => c.startsWith(`${SID}=`) && !/expires=Thu, 01 Jan 1970/i.test(c))
      .at(-1);
    expect(line).toBeDefined();
    expect(line).toMatch(/;\s*httponly/i);
    expect(line).toMatch(/;\s*samesite=lax/i);
    const value = web.cookie(SID) ?? '';
    // opaque: nothing of the person in it
    for (const secret of [p.nationalId, p.username, p.mobile, 'accountId'])
      expect(value).not.toContain(secret);
    expect(() => JSON.parse(Buffer.from(value, 'base64url').toString())).toThrow();
    // random part: base64url characters carry 6 bits each
    expect(value.length * 6).toBeGreaterThanOrEqual(128);
    // the signature cookie proves it cannot be forged
    expect(web.cookie(`${SID}.sig`)).toBeTruthy();
  });

  it('[checklist 19] a new session id at login: the session cookie from before the login is not reused', async () => {
    const p = await freshPerson(t, { account: true });
    const web = new RecordingClient(t);
    const login = await startLogin(t, config, {}, web);
    // no session exists before the first login: nothing an attacker could plant and see upgraded
    expect(web.cookie(SID)).toBeUndefined();
    const code = await toCodeStep(t, login, p);
    await toCallback(t, web, (await codeStep(t, login, code)).headers.get('location') ?? '');
    const before = web.cookieHeader();
    const sidBefore = web.cookie(SID);
    expect(sidBefore).toBeTruthy();

    // signing in again over an existing session gives it a new id, and the old id stops working
    await fullLogin(p, web, { prompt: 'login' });
    expect(web.cookie(SID)).toBeTruthy();
    expect(web.cookie(SID)).not.toBe(sidBefore);
    expect((await silentAuth(before)).get('error')).toBe('login_required');
    expect((await silentAuth(web.cookieHeader())).get('code')).toBeTruthy();
  });

  it('[checklist 19] after logout the old session cookie no longer works', async () => {
    const p = await freshPerson(t, { account: true });
    const web = new RecordingClient(t);
    const { tokens } = await fullLogin(p, web);
    const oldCookies = web.cookieHeader();
    expect((await silentAuth(oldCookies)).get('code')).toBeTruthy();

    const end = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: 'http://127.0.0.1:9/bye',
    });
    const page = await web.request(end.href);
    expect(page.status).toBe(200);
    const html = await page.text();
    const xsrf = html.match(/name="xsrf" value="([^"]+)"/)?.[1];
    const action =
      html.match(/<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"/)?.[1] ??
      html.match(/action="([^"]+)"[^>]*id="op.logoutForm"/)?.[1];
    expect(xsrf).toBeTruthy();
    const done = await web.request(new URL(action ?? '/session/end/confirm', t.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: xsrf as string, logout: 'yes' }).toString(),
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toContain('http://127.0.0.1:9/bye');

    // someone who kept a copy of the old cookie gets nothing
    expect((await silentAuth(oldCookies)).get('error')).toBe('login_required');
  });

  it('[checklist 24] a password reset ends refresh tokens and sessions, is checked by the policy, and login still needs the code', async () => {
    const p = await freshPerson(t, { account: true });
    const web = new RecordingClient(t);
    const { tokens } = await fullLogin(p, web, { scope: 'openid offline_access', prompt: 'consent' });
    expect(tokens.refresh_token).toBeTruthy();
    const oldCookies = web.cookieHeader();
    expect((await silentAuth(oldCookies)).get('code')).toBeTruthy();

    const reset = new WebClient(t);
    await reset.request(`${t.issuer}/?lang=en`);
    const { csrf } = await getForm(reset, `${t.issuer}/reset`);
    const mark = t.sms.mark();
    const start = await reset.submit(
      `${t.issuer}/reset`,
      { nationalId: p.nationalId, birthDate: p.birthDate },
      csrf,
    );
    expect(start.status).toBe(303);
    // the code goes to the registry mobile; the page names it without digits (a decoy could not match them)
    const code = await t.sms.code(p.mobile, mark);
    expect(t.sms.messages.slice(mark).map((m) => m.to)).toEqual([p.mobile]);
    const codePage = await (await reset.request(`${t.issuer}/reset/code`)).text();
    expect(unescapeHtml(codePage)).toContain(pageText('en', 'reset.sent'));
    expect(codePage).not.toContain(`******${p.mobile.slice(-2)}`);

    // no password page before the code
    expect((await reset.request(`${t.issuer}/reset/password`)).status).toBe(400);
    expect((await reset.submit(`${t.issuer}/reset/code`, { code }, csrf)).status).toBe(303);

    const weak = await reset.submit(`${t.issuer}/reset/password`, { password: 'password123' }, csrf);
    expect(weak.status).toBe(400);
    expect(unescapeHtml(alertText(await weak.text()))).toContain('common or appeared in past breaches');
    const short = await reset.submit(`${t.issuer}/reset/password`, { password: 'abc' }, csrf);
    expect(short.status).toBe(400);

    const newPassword = 'ثلاث نخلات في الواحة';
    expect((await reset.submit(`${t.issuer}/reset/password`, { password: newPassword }, csrf)).status).toBe(
      303,
    );

    // the old refresh token and the old session are gone
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await silentAuth(oldCookies)).get('error')).toBe('login_required');

    // the old password fails; the new one leads to the code step, not to the client
    const login: StartedLogin = await startLogin(t, config);
    expect((await passwordStep(t, login, p.nationalId, p.password)).status).toBe(401);
    const pw = await passwordStep(t, login, p.nationalId, newPassword);
    expect(pw.status).toBe(303);
    expect(pw.headers.get('location')).toBe(`/interaction/${login.uid}/otp`);
    const otp = await t.sms.code(p.mobile, mark + 1);
    expect((await codeStep(t, login, otp)).status).toBe(303);
  });

  async function resetPassword(p: Person, newPassword: string): Promise<Response> {
    const reset = new WebClient(t);
    const { csrf } = await getForm(reset, `${t.issuer}/reset`);
    const mark = t.sms.mark();
    const start = await reset.submit(
      `${t.issuer}/reset`,
      { nationalId: p.nationalId, birthDate: p.birthDate },
      csrf,
    );
    expect(start.status).toBe(303);
    const code = await t.sms.code(p.mobile, mark);
    expect((await reset.submit(`${t.issuer}/reset/code`, { code }, csrf)).status).toBe(303);
    return reset.submit(`${t.issuer}/reset/password`, { password: newPassword }, csrf);
  }

  it('[checklist 8] password reset answers alike for a person with an account and one without', async () => {
    const withAccount = await freshPerson(t, { account: true });
    const without = await freshPerson(t, { account: false });
    const pages: string[] = [];
    const statuses: number[] = [];
    for (const p of [withAccount, without]) {
      const web = new WebClient(t);
      const { csrf } = await getForm(web, `${t.issuer}/reset`);
      const start = await web.submit(
        `${t.issuer}/reset`,
        { nationalId: p.nationalId, birthDate: p.birthDate },
        csrf,
      );
      statuses.push(start.status);
      const page = await (await web.request(`${t.issuer}/reset/code`)).text();
      pages.push(page.replace(/name="_csrf" value="[^"]+"/g, '').replace(/05\*{6}\d\d/, 'MASKED'));
      const wrong = await web.submit(`${t.issuer}/reset/code`, { code: '000000' }, csrf);
      statuses.push(wrong.status);
      statuses.push((await web.submit(`${t.issuer}/reset/resend`, {}, csrf)).status);
    }
    expect(statuses.slice(0, 3)).toEqual(statuses.slice(3));
    expect(pages[0]).toBe(pages[1]);
    // Only the person with an account got an SMS.
    expect(t.sms.messages.some((m) => m.to === without.mobile)).toBe(false);
  });

  it('[checklist 21] a changed password is told over another channel: an e-mail notice after the SMS-verified reset', async () => {
    const p = await freshPerson(t, { account: true, email: 'notice.me@example.com' });
    const mailMark = t.smtp.mark();
    expect((await resetPassword(p, 'ظلال الأشجار في الظهيرة')).status).toBe(303);
    await expect
      .poll(() => t.smtp.messages.slice(mailMark).map((m) => m.to))
      .toEqual(['notice.me@example.com']);
    const notice = t.smtp.messages[mailMark]?.text ?? '';
    expect(notice).not.toMatch(/\b\d{6}\b/);
  });

  it('[checklist 21] an account locked by an administrator stays locked through a password reset', async () => {
    const p = await freshPerson(t, { account: true });
    await t.idp.db('accounts').where({ national_id: p.nationalId }).update({ status: 'locked' });
    expect((await resetPassword(p, 'ظلال الأشجار في الظهيرة')).status).toBe(303);
    const login = await startLogin(t, config);
    const refused = await passwordStep(t, login, p.nationalId, 'ظلال الأشجار في الظهيرة');
    expect(refused.status).toBe(423);
    expect(alertText(await refused.text())).toContain(pageText('ar', 'account_suspended'));
  });

  it('[checklist 20] POSTs without the CSRF token, or from another site, get a 403 page', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    await toCodeStep(t, login, p);
    const consentLogin = await startLogin(t, config);
    const forms: [string, Record<string, string>][] = [
      [`/interaction/${login.uid}/login`, { identifier: p.nationalId, password: p.password }],
      [`/interaction/${login.uid}/otp`, { code: '123456' }],
      [`/interaction/${consentLogin.uid}/consent`, { decision: 'allow' }],
      [
        '/register',
        { nationalId: p.nationalId, birthDate: p.birthDate, username: 'x-user', password: p.password },
      ],
      ['/reset', { nationalId: p.nationalId, birthDate: p.birthDate }],
    ];
    const web = login.web;
    for (const [path, fields] of forms) {
      const url = `${t.issuer}${path}`;
      const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
        web.request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams(body).toString(),
        });
      const missing = await post(fields);
      expect(missing.status, path).toBe(403);
      expect(unescapeHtml(alertText(await missing.text()))).toContain(pageText('ar', 'csrf_failed'));
      const missingEn = await post(fields, { 'Accept-Language': 'en' });
      // the language cookie is not set for this client: Accept-Language decides
      expect(unescapeHtml(alertText(await missingEn.text()))).toContain(pageText('en', 'csrf_failed'));

      const wrong = await post({ ...fields, _csrf: 'A'.repeat(43) });
      expect(wrong.status, path).toBe(403);
      const crossOrigin = await post({ ...fields, _csrf: login.csrf }, { Origin: 'https://evil.example' });
      expect(crossOrigin.status, path).toBe(403);
      const crossSite = await post({ ...fields, _csrf: login.csrf }, { 'Sec-Fetch-Site': 'cross-site' });
      expect(crossSite.status, path).toBe(403);
    }
    // nothing was done on the way: the login is still waiting for its code
    const page = await web.request(`${t.issuer}/interaction/${login.uid}/otp`);
    expect(page.status).toBe(200);
    expect(csrfOf(await page.text())).toBe(login.csrf);
  });
});
