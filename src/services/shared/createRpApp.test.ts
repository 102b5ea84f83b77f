import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingNotifier } from '../../../test/helpers/recordingNotifier.js';
import { type StandInIdp, startStandInIdp } from '../../../test/helpers/standInIdp.js';
import { createTestDb, type TestDb } from '../../../test/helpers/testDb.js';
import { createLogger } from '../../shared/logger.js';
import { lossReportService } from '../loss-report/lossReportService.js';
import { createRpApp } from './createRpApp.js';

// The loss-report service against a stand-in for Hawiya that speaks just enough OpenID Connect.
const CLIENT_ID = 'loss-report';
const SECRET = 'test-client-secret-0123456789abcdef0123';
const PUBLIC_URL = 'http://localhost:3001';

let idp: StandInIdp;
let issuer: string;
let tdb: TestDb;
let rpServer: Server;
let rpBase: string;
let rp: ReturnType<typeof createRpApp>;

beforeAll(async () => {
  idp = await startStandInIdp({ clientId: CLIENT_ID, clientSecret: SECRET, publicUrl: PUBLIC_URL });
  issuer = idp.issuer;
  tdb = await createTestDb('sqlite');
  rp = createRpApp({
    service: lossReportService,
    db: tdb.db,
    baseUrl: PUBLIC_URL,
    issuer,
    clientSecret: SECRET,
    logger: createLogger({ level: 'silent' }),
    notifier: recordingNotifier().notifier,
  });
  rpServer = createServer(rp.app.callback());
  await new Promise<void>((resolve) => rpServer.listen(0, '127.0.0.1', resolve));
  rpBase = `http://127.0.0.1:${(rpServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  rpServer.closeAllConnections();
  await new Promise<void>((resolve) => rpServer.close(() => resolve()));
  await idp.close();
  await tdb.destroy();
});

/** A tiny cookie jar: enough for one browser talking to one service. */
function browser() {
  const jar = new Map<string, string>();
  return {
    jar,
    async get(path: string, init: RequestInit = {}) {
      const res = await fetch(`${rpBase}${path}`, {
        ...init,
        redirect: 'manual',
        headers: {
          ...(init.headers as Record<string, string>),
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [name, value] = (pair ?? '').split('=');
        if (!name) continue;
        if (value) jar.set(name, value);
        else jar.delete(name);
      }
      return res;
    },
  };
}

async function signIn(b: ReturnType<typeof browser>, lang?: string) {
  const start = await b.get(lang ? `/login?lang=${lang}` : '/login');
  expect(start.status).toBe(302);
  const auth = new URL(start.headers.get('location') ?? '');
  return { start, auth, code: idp.approve(auth) };
}

describe('relying party sign-in against a stand-in IdP', () => {
  it('[checklist 26] /login asks for code + PKCE S256 + state + nonce, the service scope, resource and ui_locales', async () => {
    const b = browser();
    const { start, auth } = await signIn(b, 'en');
    expect(`${auth.origin}${auth.pathname}`).toBe(`${issuer}/auth`);
    const p = auth.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(CLIENT_ID);
    expect(p.get('redirect_uri')).toBe(`${PUBLIC_URL}/callback`);
    expect(p.get('scope')).toBe('openid profile national_id phone email civil:loss_report');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('state')?.length).toBeGreaterThanOrEqual(22);
    expect(p.get('nonce')?.length).toBeGreaterThanOrEqual(22);
    expect(p.get('resource')).toBe(`${PUBLIC_URL}/api`);
    expect(p.get('ui_locales')).toBe('en');
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('loss-report.login='));
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
  });

  it('[checklist 19] signs in, greets by name with the national ID masked, and logs out through Hawiya', async () => {
    const b = browser();
    const { auth, code } = await signIn(b);
    const cb = await b.get(`/callback?code=${code}&state=${auth.searchParams.get('state')}`);
    expect(cb.status).toBe(303);
    expect(cb.headers.get('location')).toBe('/');
    const sessionCookie = cb.headers.getSetCookie().find((c) => c.startsWith('loss-report.session='));
    expect(sessionCookie).toMatch(/httponly/i);
    expect(sessionCookie).toMatch(/samesite=lax/i);

    const home = await b.get('/');
    const html = await home.text();
    expect(home.status).toBe(200);
    expect(html).toContain('مرحباً، سارة العتيبي');
    // Arabic-Indic digits on the Arabic page, drawn left to right
    expect(html).toContain('<bdo dir="ltr" class="national-id">١******٠٠٨</bdo>');
    expect(html).not.toContain('1234567008');
    const english = await (await b.get('/?lang=en')).text();
    expect(english).toContain('Welcome, Sara Alotaibi');
    expect(english).toContain('1******008');

    const csrf = /name="_csrf" value="([^"]+)"/.exec(english)?.[1] ?? '';
    const forged = await b.get('/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '_csrf=forged',
    });
    expect(forged.status).toBe(403);

    const out = await b.get('/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(out.status).toBe(303);
    const end = new URL(out.headers.get('location') ?? '');
    expect(`${end.origin}${end.pathname}`).toBe(`${issuer}/session/end`);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/`);
    expect(end.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3);
    expect(await rp.sessions.count()).toBe(0);
    expect(await (await b.get('/')).text()).toContain('href="/login"');
  });

  it('the old session cookie no longer works after logout', async () => {
    const b = browser();
    const { auth, code } = await signIn(b);
    await b.get(`/callback?code=${code}&state=${auth.searchParams.get('state')}`);
    const stolen = b.jar.get('loss-report.session') ?? '';
    const html = await (await b.get('/?lang=en')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    await b.get('/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    const replay = await fetch(`${rpBase}/?lang=en`, {
      headers: { cookie: `loss-report.session=${stolen}` },
    });
    expect(await replay.text()).toContain('Sign in with Hawiya');
  });

  it('rejects a callback whose state does not match, with a 400 page and no session', async () => {
    const b = browser();
    const { code } = await signIn(b);
    const res = await b.get(`/callback?code=${code}&state=forged-state`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('تعذّر إكمال تسجيل الدخول');
    expect(html).toContain('We could not complete the sign-in');
    expect(html).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(b.jar.has('loss-report.session')).toBe(false);
  });

  it('a callback without the login cookie (another browser) is refused', async () => {
    const b = browser();
    const { auth, code } = await signIn(b);
    const res = await fetch(`${rpBase}/callback?code=${code}&state=${auth.searchParams.get('state')}`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This sign-in request has expired');
  });

  it('the login transaction is single use: replaying the callback fails', async () => {
    const b = browser();
    const { auth, code } = await signIn(b);
    const cookie = `loss-report.login=${b.jar.get('loss-report.login')}`;
    const url = `${rpBase}/callback?code=${code}&state=${auth.searchParams.get('state')}`;
    expect((await fetch(url, { redirect: 'manual', headers: { cookie } })).status).toBe(303);
    expect((await fetch(url, { redirect: 'manual', headers: { cookie } })).status).toBe(400);
  });

  it('error=access_denied (cancelled at Hawiya) goes back to the home page, which says so', async () => {
    const b = browser();
    const { auth } = await signIn(b);
    const res = await b.get(`/callback?error=access_denied&state=${auth.searchParams.get('state')}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/?signin=cancelled');
    const html = await (await b.get('/?signin=cancelled')).text();
    expect(html).toContain('لم يكتمل تسجيل الدخول ولم يتغير شيء');
    expect(html).toContain('href="/login"');
  });

  it('error=access_denied without the sign-in it answers shows a bilingual 400 page', async () => {
    const res = await browser().get('/callback?error=access_denied&state=forged');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('رفضت مشاركة بياناتك');
    expect(html).toContain('you declined to share your data');
  });

  it('[checklist 31] pages carry the strict security headers and no-store; the CSS is served locally', async () => {
    const res = await fetch(`${rpBase}/`);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const css = await fetch(`${rpBase}/static/service.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    const missing = await fetch(`${rpBase}/nope`);
    expect(missing.status).toBe(404);
  });
});

describe('a body the service cannot read', () => {
  const lines: Record<string, unknown>[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const logger = createLogger({
      level: 'info',
      stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const { app } = createRpApp({
      service: lossReportService,
      db: tdb.db,
      baseUrl: PUBLIC_URL,
      issuer,
      clientSecret: SECRET,
      logger,
      notifier: recordingNotifier().notifier,
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });

  it.each([
    ['too large', 413, () => post('/logout', `_csrf=${'x'.repeat(70 * 1024)}`)],
    ['bad gzip', 400, () => post('/logout', 'not gzip at all', { 'content-encoding': 'gzip' })],
    ['an unknown encoding', 415, () => post('/backchannel-logout', 'x=1', { 'content-encoding': 'br2' })],
    [
      'too large, at back-channel logout',
      413,
      () => post('/backchannel-logout', `logout_token=${'x'.repeat(70 * 1024)}`),
    ],
  ] as const)(
    '%s: answers %i with a plain bilingual page, logged at warn without a stack (issue 6 item 8)',
    async (_what, status, send) => {
      lines.length = 0;
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toContain('تعذّر إكمال الطلب');
      expect(html).toMatch(/We could not read the request|The request is larger than allowed/);
      expect(html).not.toMatch(/\bat .*\.(ts|js):\d+|Error:/);
      const logged = lines.filter((l) => Number(l.level) >= 40);
      expect(logged).toHaveLength(1);
      expect(logged[0]?.level).toBe(40);
      expect(JSON.stringify(logged[0])).not.toMatch(/"stack"|\bat .*\.(ts|js):\d+/);
    },
  );
});
