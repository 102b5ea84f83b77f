import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createRpSessions } from '../../src/services/shared/rpSessionsRepo.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { freePort } from '../helpers/freePort.js';
import { demoPerson, loginToCallback, openLoginPage, registerAndActivate } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';

// The service's pages call its API with the session's access token (10 minutes): renewed with the
// rotating refresh token before it lapses, and once Hawiya refuses to renew it, the person signs in again.

describe('loss-report session tokens', () => {
  let t: TestIdp;
  let services: RunningServices;
  let base: string;
  let offset = 0;
  const web = new WebClient();

  const sealed = async () =>
    JSON.parse((await services.db('service_sessions').where({ service: 'loss-report' }).first()).data).sealed;

  beforeAll(async () => {
    base = `http://127.0.0.1:${await freePort()}`;
    t = await startTestIdp({
      env: { LOSS_REPORT_URL: base, REPLACEMENT_URL: `http://127.0.0.1:${await freePort()}` },
    });
    // Only the service's clock moves: Hawiya keeps real time.
    services = await startServices(loadConfig(t.env), { clock: { now: () => Date.now() + offset } });
    const sarah = await demoPerson(t, '1123987453', 'sarah', 'the desert stars at midnight');
    await registerAndActivate(t, sarah);
    const start = await web.request(`${base}/login`);
    const login = await openLoginPage(start.headers.get('location') ?? '', web);
    const { callback } = await loginToCallback(t, login, sarah, { redirectUri: `${base}/callback` });
    expect((await web.request(callback.href)).status).toBe(303);
  });

  afterAll(async () => {
    await services?.close();
    await t?.close();
  });

  it('a page works with the first token, and near its expiry with a renewed one (refresh token rotated)', async () => {
    expect((await web.request(`${base}/reports/new`)).status).toBe(200);
    const first = await sealed();
    expect(first).toMatch(/^[\w-]{40,}$/);
    // The table holds the ID token (the logout hint) but no access token: those are sealed.
    const jwts = JSON.stringify(await services.db('service_sessions').select()).match(
      /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g,
    );
    expect(jwts?.map((jwt) => decodeProtectedHeader(jwt).typ)).toEqual([undefined]);

    offset = 9 * 60_000 + 40_000;
    expect((await web.request(`${base}/reports/new`)).status).toBe(200);
    expect(await sealed()).not.toBe(first);
  });

  it('two concurrent pages needing a renewal both work, and the session survives: one renewal, not a replayed refresh token', async () => {
    // The held token is made to look spent (the clock stays: Hawiya's tokens are checked against it).
    const sessions = createRpSessions({ db: services.db, clock: { now: Date.now }, service: 'loss-report' });
    const cookie = web.cookie('loss-report.session') ?? '';
    const expire = async () => {
      const api = await sessions.readApiTokens(cookie);
      if (!api) throw new Error('no tokens in the session');
      await sessions.saveApiTokens(cookie, { ...api, expiresAt: 0 });
    };
    await expire();
    const before = await sealed();
    const pages = await Promise.all([
      web.request(`${base}/reports/new`),
      web.request(`${base}/reports/new`),
      web.request(`${base}/reports/new/details?documentType=birth_certificate`),
    ]);
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(await sealed()).not.toBe(before);
    // Had a rotated refresh token been replayed, Hawiya would have ended the grant: the next renewal works.
    await expire();
    expect((await web.request(`${base}/reports/new`)).status).toBe(200);
  });

  it('once Hawiya no longer renews it (its refresh tokens gone), the page sends the person to sign in', async () => {
    await t.idp.db('oidc_payloads').where({ type: 'RefreshToken' }).delete();
    offset += 9 * 60_000 + 40_000;
    const res = await web.request(`${base}/reports/new`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    // The home page never bounces: it shows no reports instead.
    expect((await web.request(`${base}/`)).status).toBe(200);
  });
});
