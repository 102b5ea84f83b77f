import { connect } from 'node:net';
import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText } from '../../src/i18n/messages.js';
import { registerTestClient, rpConfig, type StartedLogin, startLogin } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';
import { alertText, getForm, unescapeHtml } from './journey.js';

describe('hostile input never gets a 500', () => {
  let t: TestIdp;
  let config: oidc.Configuration;
  let login: StartedLogin;
  let web: WebClient;
  let csrf: string;

  beforeAll(async () => {
    t = await startTestIdp({ env: { IP_LIMIT: '1000' } });
    await registerTestClient(t);
    config = await rpConfig(t);
    login = await startLogin(t, config);
    web = login.web;
    csrf = (await getForm(web, `${t.issuer}/register`)).csrf;
  });
  afterAll(async () => {
    await t?.close();
  });

  const raw = (path: string, body: BodyInit, type = 'application/x-www-form-urlencoded') =>
    web.request(`${t.issuer}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  const paths = () => [
    `/interaction/${login.uid}/login`,
    `/interaction/${login.uid}/otp`,
    '/register',
    '/reset',
  ];

  it('oversized fields and bodies are refused cleanly', async () => {
    for (const path of paths()) {
      const big = await raw(
        path,
        `_csrf=${csrf}&identifier=${'1'.repeat(5000)}&nationalId=${'1'.repeat(5000)}&password=${'x'.repeat(5000)}&code=${'1'.repeat(5000)}`,
      );
      expect(big.status, path).toBeGreaterThanOrEqual(400);
      expect(big.status, path).toBeLessThan(500);
      const huge = await raw(path, `_csrf=${csrf}&password=${'x'.repeat(64 * 1024)}`);
      expect(huge.status, path).toBe(413);
      expect(await huge.text()).toContain(pageText('ar', 'bad_request'));
    }
  });

  it('repeated fields (arrays) read as missing, not as a crash', async () => {
    for (const path of paths()) {
      const res = await raw(
        path,
        `_csrf=${csrf}&identifier=a&identifier=b&password=x&password=y&nationalId=1&nationalId=2&code=1&code=2&username[a]=1`,
      );
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    // a repeated CSRF token is no token
    const twice = await raw('/register', `_csrf=${csrf}&_csrf=${csrf}`);
    expect(twice.status).toBe(403);
  });

  it('non-form content types are refused', async () => {
    for (const path of paths()) {
      const json = await raw(path, JSON.stringify({ _csrf: csrf, identifier: 'a' }), 'application/json');
      expect(json.status, path).toBeGreaterThanOrEqual(400);
      expect(json.status, path).toBeLessThan(500);
      const xml = await raw(path, '<a>1</a>', 'text/xml');
      expect(xml.status, path).toBeGreaterThanOrEqual(400);
      expect(xml.status, path).toBeLessThan(500);
      const multipart = await raw(path, '--x\r\n\r\n--x--', 'multipart/form-data; boundary=x');
      expect(multipart.status, path).toBeGreaterThanOrEqual(400);
      expect(multipart.status, path).toBeLessThan(500);
    }
  });

  it('invalid UTF-8 and broken percent-encoding are refused cleanly', async () => {
    for (const path of paths()) {
      const bytes = new Uint8Array([
        ...new TextEncoder().encode(`_csrf=${csrf}&username=`),
        0xc3,
        0x28,
        0xff,
        0xfe,
      ]);
      const res = await raw(path, bytes);
      expect(res.status, path).toBeLessThan(500);
      const pct = await raw(path, `_csrf=${csrf}&username=%E0%A4%A&password=%`);
      expect(pct.status, path).toBeLessThan(500);
    }
  });

  it('a script tag in the username comes back escaped', async () => {
    const res = await web.submit(
      `${t.issuer}/register`,
      {
        nationalId: '1000000008',
        birthDate: '1985-03-14',
        username: '<script>alert(1)</script>',
        password: 'قهوة الصباح مع الهيل',
        email: '"><img src=x onerror=alert(1)>',
      },
      csrf,
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(unescapeHtml(alertText(html))).toContain(pageText('ar', 'username_invalid'));

    const echo = await web.submit(
      `${t.issuer}/interaction/${login.uid}/login`,
      { identifier: '<script>alert(1)</script>', password: 'whatever' },
      login.csrf,
    );
    expect(echo.status).toBe(401);
    const page = await echo.text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).not.toMatch(/<script(?! src)/);
  });

  it('hostile request lines (absolute-form, broken hosts) get a 400, never a 500', async () => {
    const { port } = new URL(t.issuer);
    for (const target of [
      'http://a:99999/register',
      'http://[::1/register',
      '*',
      '//evil.example/register',
    ]) {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        });
        let reply = '';
        socket.on('data', (d) => {
          reply += d.toString();
        });
        socket.on('end', () => resolve(Number(reply.split(' ')[1])));
        socket.on('error', reject);
      });
      expect(status, target).toBe(400);
    }
  });

  it('unknown routes get the 404 page; odd methods and interaction ids get no 500', async () => {
    const res = await web.request(`${t.issuer}/no/such/page`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(pageText('ar', 'not_found'));
    const en = await web.request(`${t.issuer}/no/such/page?lang=en`);
    expect(await en.text()).toContain('Page not found.');
    for (const url of [
      `${t.issuer}/interaction/does-not-exist`,
      `${t.issuer}/interaction/${'x'.repeat(3000)}`,
      `${t.issuer}/register/activate`,
      `${t.issuer}/reset/code`,
      `${t.issuer}/reset/password`,
      `${t.issuer}/static/..%2f..%2fpackage.json`,
    ]) {
      const r = await new WebClient().request(url);
      expect(r.status, url).toBeGreaterThanOrEqual(400);
      expect(r.status, url).toBeLessThan(500);
    }
    const put = await web.request(`${t.issuer}/register`, { method: 'PUT' });
    expect(put.status).toBeLessThan(500);
    // a POST to a flow page with no flow behind it
    const orphan = await new WebClient();
    const { csrf: c2 } = await getForm(orphan, `${t.issuer}/register`);
    const act = await orphan.submit(`${t.issuer}/register/activate`, { code: '123456' }, c2);
    expect(act.status).toBe(400);
    const pw = await orphan.submit(`${t.issuer}/reset/password`, { password: 'a long new password' }, c2);
    expect(pw.status).toBe(400);
  });
});
