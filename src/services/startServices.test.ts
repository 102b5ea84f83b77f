import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers/testDb.js';
import { loadConfig } from '../config.js';
import { type RunningServices, startServices } from './startServices.js';

/** A port nothing listens on (yet): the identity provider is "down". */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('startServices', () => {
  let idpPort: number;
  let issuer: string;
  let services: RunningServices;
  let lateIdp: Server | undefined;
  let tdb: TestDb;

  beforeAll(async () => {
    tdb = await createTestDb('sqlite');
    idpPort = await freePort();
    issuer = `http://127.0.0.1:${idpPort}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      ISSUER: issuer,
      DATABASE_URL: tdb.url,
      LOSS_REPORT_URL: 'http://localhost:3001',
      REPLACEMENT_URL: 'http://localhost:3002',
    });
    services = await startServices(config, { ports: { 'loss-report': 0, replacement: 0 } });
  });

  afterAll(async () => {
    await services.close();
    if (lateIdp) {
      lateIdp.closeAllConnections();
      await new Promise<void>((resolve) => lateIdp?.close(() => resolve()));
    }
    await tdb?.destroy();
  });

  it('starts both services while the identity provider is unreachable', () => {
    expect(services.byId['loss-report'].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(services.byId.replacement.url).not.toBe(services.byId['loss-report'].url);
  });

  it.each([
    ['loss-report', 'الإبلاغ عن فقد وثيقة', 'Report a lost document'],
    ['replacement', 'طلب بدل فاقد', 'Request a replacement'],
  ] as const)(
    '%s home page is Arabic and right-to-left by default, English with ?lang=en',
    async (which, ar, en) => {
      const base = services.byId[which].url;
      const res = await fetch(`${base}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const html = await res.text();
      expect(html).toContain('<html lang="ar" dir="rtl">');
      expect(html).toContain(ar);
      expect(html).toContain('الدخول عبر هوية');
      expect(html).toContain('href="/login"');
      expect(html).toContain('href="/static/service.css"');

      const english = await (await fetch(`${base}/?lang=en`)).text();
      expect(english).toContain('<html lang="en" dir="ltr">');
      expect(english).toContain(en);
      expect(english).toContain('Sign in with Hawiya');
    },
  );

  it('GET /login answers 503 with a friendly bilingual page while the identity provider is down', async () => {
    const res = await fetch(`${services.byId['loss-report'].url}/login`, { redirect: 'manual' });
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('خدمة الهوية الرقمية غير متاحة حالياً');
    expect(html).toContain('The national identity service is unavailable right now');
    expect(html).not.toMatch(/ECONNREFUSED|Error:|\bat .*\.(ts|js):\d+/);
  });

  it('retries discovery: once the identity provider is up, /login redirects to it', async () => {
    lateIdp = createServer((req, res) => {
      if (req.url !== '/.well-known/openid-configuration') {
        res.writeHead(404).end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          end_session_endpoint: `${issuer}/session/end`,
        }),
      );
    });
    await new Promise<void>((resolve) => lateIdp?.listen(idpPort, '127.0.0.1', resolve));
    const res = await fetch(`${services.byId.replacement.url}/login`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const auth = new URL(res.headers.get('location') ?? '');
    expect(`${auth.origin}${auth.pathname}`).toBe(`${issuer}/auth`);
    expect(auth.searchParams.get('client_id')).toBe('replacement');
    expect(auth.searchParams.get('redirect_uri')).toBe('http://localhost:3002/callback');
    // The loss-report API is a second resource of the same grant: the person's reports are read with it.
    expect(auth.searchParams.get('scope')).toBe(
      'openid profile national_id phone email civil:replacement civil:loss_report',
    );
    expect(auth.searchParams.getAll('resource')).toEqual([
      'http://localhost:3002/api',
      'http://localhost:3001/api',
    ]);
    expect(auth.searchParams.get('ui_locales')).toBe('ar');
  });
});
