import type { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authRequest,
  demoPerson,
  loginToCallback,
  openLoginPage,
  type Person,
  registerAndActivate,
  registerClient,
  registerTestClient,
  rpConfig,
  secretOf,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import type { WebClient } from '../helpers/webClient.js';

const BCL_CLIENT = 'bcl-rp';
const BCL_REDIRECT = 'http://127.0.0.1:9/bcl-cb';
const BCL_BYE = 'http://127.0.0.1:9/bcl-bye';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * A relying party's back-channel logout endpoint on 127.0.0.1: keeps every POST body it receives. It stands
 * at the loss-report service's origin, the kind of internal origin the IdP may call on a loopback address.
 */
async function startLogoutReceiver() {
  const bodies: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.method === 'POST') bodies.push(new URLSearchParams(body));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/backchannel-logout`,
    bodies,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// What a session claims, how silent requests are answered, and how it ends.
describe('sessions: acr with prompt=none, RP-initiated and back-channel logout', () => {
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;
  let bclConfig: oidc.Configuration;
  let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>;
  let outsider: Awaited<ReturnType<typeof startLogoutReceiver>>;

  beforeAll(async () => {
    [receiver, outsider] = await Promise.all([startLogoutReceiver(), startLogoutReceiver()]);
    t = await startTestIdp({ env: { LOSS_REPORT_URL: `${receiver.origin}/loss` } });
    await registerTestClient(t);
    await registerClient(t, {
      client_id: BCL_CLIENT,
      redirect_uris: [BCL_REDIRECT],
      post_logout_redirect_uris: [BCL_BYE],
      backchannel_logout_uri: receiver.url,
      backchannel_logout_session_required: true,
    });
    await registerClient(t, {
      client_id: 'outsider-rp',
      redirect_uris: ['http://127.0.0.1:9/outsider-cb'],
      backchannel_logout_uri: outsider.url,
    });
    person = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
    await registerAndActivate(t, person);
    config = await rpConfig(t);
    bclConfig = await rpConfig(t, BCL_CLIENT, secretOf(BCL_CLIENT));
  });
  afterAll(async () => {
    await Promise.all([t?.close(), receiver?.close(), outsider?.close()]);
  });

  /** A full login to `clientConfig` in a new browser; returns the browser and the tokens. */
  async function loginWith(clientConfig: oidc.Configuration, redirectUri: string) {
    const req = await authRequest(t, {
      client_id: clientConfig.clientMetadata().client_id,
      redirect_uri: redirectUri,
    });
    const page = await openLoginPage(req.url);
    const { callback } = await loginToCallback(t, page, person, { redirectUri });
    const tokens = await oidc.authorizationCodeGrant(clientConfig, callback, {
      pkceCodeVerifier: req.verifier,
      expectedState: req.state,
      expectedNonce: req.nonce,
    });
    return { web: page.web, tokens };
  }

  /** A request made with the browser's session: where it lands at the redirect URI. */
  async function silently(
    web: WebClient,
    params: Record<string, string>,
    redirectUri = TEST_CLIENT.redirect_uri,
  ) {
    const req = await authRequest(t, { prompt: 'none', redirect_uri: redirectUri, ...params });
    const { url } = await web.follow(req.url.href, (next) => next.startsWith(redirectUri));
    expect(url.startsWith(redirectUri), `did not come back to the client: ${url}`).toBe(true);
    return { callback: new URL(url), req };
  }

  /** Shows the logout page for `idToken` and confirms it; returns the response to the confirmation. */
  async function confirmLogout(web: WebClient, endSession: URL) {
    const page = await (await web.request(endSession.href)).text();
    const xsrf = page.match(/name="xsrf" value="([^"]+)"/)?.[1] ?? '';
    const action = page.match(/id="op.logoutForm" method="post" action="([^"]+)"/)?.[1] ?? '';
    expect(xsrf).not.toBe('');
    return web.request(new URL(action, t.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
  }

  it('[checklist 16] prompt=none asking a higher acr than the session has gets login_required; the session level passes silently and truthfully', async () => {
    const { web, tokens } = await loginWith(config, TEST_CLIENT.redirect_uri);
    const first = tokens.claims();
    expect(first?.acr).toBe('urn:hawiya:acr:standard');
    expect(first?.amr).toEqual(['pwd', 'sms', 'mfa']);

    const high = await silently(web, { acr_values: 'urn:hawiya:acr:high' });
    expect(high.callback.searchParams.get('error')).toBe('login_required');
    expect(high.callback.searchParams.get('code')).toBeNull();
    expect(high.callback.searchParams.get('iss')).toBe(t.issuer);

    for (const acr of ['urn:hawiya:acr:standard', 'urn:hawiya:acr:basic']) {
      const ok = await silently(web, { acr_values: acr });
      expect(ok.callback.searchParams.get('error'), acr).toBeNull();
      const again = await oidc.authorizationCodeGrant(config, ok.callback, {
        pkceCodeVerifier: ok.req.verifier,
        expectedState: ok.req.state,
        expectedNonce: ok.req.nonce,
      });
      const claims = again.claims();
      // What the login achieved, not what was asked: neither raised nor lowered, and no new auth_time.
      expect(claims?.acr, acr).toBe('urn:hawiya:acr:standard');
      expect(claims?.amr, acr).toEqual(['pwd', 'sms', 'mfa']);
      expect(claims?.auth_time, acr).toBe(first?.auth_time);
      expect(claims?.sub, acr).toBe(first?.sub);
    }
  });

  it('[checklist 16] prompt=none with a max_age the session is older than gets login_required', async () => {
    const { web } = await loginWith(config, TEST_CLIENT.redirect_uri);
    await new Promise((r) => setTimeout(r, 1100));
    const stale = await silently(web, { max_age: '0' });
    expect(stale.callback.searchParams.get('error')).toBe('login_required');
  });

  it('[checklist 33] /session/end with id_token_hint shows Hawiya’s bilingual confirmation page and keeps the session until confirmed', async () => {
    const { web, tokens } = await loginWith(config, TEST_CLIENT.redirect_uri);
    const endSession = new URL(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token ?? '' }));

    const ar = await web.request(endSession.href);
    expect(ar.status).toBe(200);
    expect(ar.headers.get('location')).toBeNull();
    const arHtml = await ar.text();
    expect(arHtml).toContain('lang="ar"');
    expect(arHtml).toContain('dir="rtl"');
    expect(arHtml).toContain('تسجيل الخروج');
    expect(arHtml).toContain('id="op.logoutForm"');
    expect(arHtml).toMatch(/hreflang="en"/);
    expect(ar.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    endSession.searchParams.set('ui_locales', 'en');
    const en = await web.request(endSession.href);
    const enHtml = await en.text();
    expect(enHtml).toContain('lang="en"');
    expect(enHtml).toContain('Sign out');

    // Showing the page ends nothing: the session still answers silently.
    const still = await silently(web, {});
    expect(still.callback.searchParams.get('code')).toBeTruthy();
  });

  it('[checklist 33][checklist 19] confirming logout ends the session (old cookie too), notifies the RP back-channel and returns to the registered URI', async () => {
    const { web, tokens } = await loginWith(bclConfig, BCL_REDIRECT);
    const sid = tokens.claims()?.sid;
    expect(typeof sid).toBe('string');
    const oldCookie = web.cookieHeader();

    const endSession = oidc.buildEndSessionUrl(bclConfig, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: BCL_BYE,
      state: 'bye-state',
    });
    const before = receiver.bodies.length;
    const confirm = await confirmLogout(web, endSession);
    expect([302, 303]).toContain(confirm.status);
    const back = new URL(confirm.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(BCL_BYE);
    expect(back.searchParams.get('state')).toBe('bye-state');

    // The RP was told, with a logout token it can verify against /jwks.
    const deadline = Date.now() + 3000;
    while (receiver.bodies.length === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const logoutToken = receiver.bodies[before]?.get('logout_token') ?? '';
    expect(logoutToken).not.toBe('');
    const jwks = jose.createLocalJWKSet(await (await fetch(`${t.issuer}/jwks`)).json());
    const { payload, protectedHeader } = await jose.jwtVerify(logoutToken, jwks, {
      issuer: t.issuer,
      audience: BCL_CLIENT,
      algorithms: ['ES256'],
      typ: 'logout+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.events).toEqual({ [BACKCHANNEL_EVENT]: {} });
    expect(payload.sid).toBe(sid);
    expect(payload.sub).toBe(tokens.claims()?.sub);
    expect(payload.nonce).toBeUndefined();
    expect(typeof payload.jti).toBe('string');

    // The session is over, in this browser and for anyone holding the old cookie.
    const after = await silently(web, { client_id: BCL_CLIENT }, BCL_REDIRECT);
    expect(after.callback.searchParams.get('error')).toBe('login_required');
    const req = await authRequest(t, { prompt: 'none', client_id: BCL_CLIENT, redirect_uri: BCL_REDIRECT });
    let next = req.url.href;
    for (let i = 0; i < 5 && !next.startsWith(BCL_REDIRECT); i++) {
      const res = await fetch(next, { redirect: 'manual', headers: { cookie: oldCookie } });
      next = new URL(res.headers.get('location') ?? '', next).href;
    }
    expect(new URL(next).searchParams.get('error')).toBe('login_required');
  });

  it('[checklist 33] a post_logout_redirect_uri that is not registered gets an error page, not a redirect', async () => {
    const { web, tokens } = await loginWith(config, TEST_CLIENT.redirect_uri);
    for (const uri of [
      'https://attacker.example/bye',
      'http://127.0.0.1:9/bye/',
      'http://127.0.0.1:9/bye?x=1',
    ]) {
      const endSession = oidc.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token ?? '',
        post_logout_redirect_uri: uri,
      });
      const res = await web.request(endSession.href);
      expect(res.status, uri).toBe(400);
      expect(res.headers.get('location'), uri).toBeNull();
      expect(await res.text(), uri).toContain('invalid_request');
    }
  });

  it('back-channel logout is not sent to a loopback address outside the configured services (SSRF guard kept)', async () => {
    const outsiderConfig = await rpConfig(t, 'outsider-rp', secretOf('outsider-rp'));
    const { web, tokens } = await loginWith(outsiderConfig, 'http://127.0.0.1:9/outsider-cb');
    const refused: string[] = [];
    (t.idp.provider() as unknown as EventEmitter).on(
      'backchannel.error',
      (_ctx: unknown, err: Error & { cause?: Error }) => {
        refused.push(String(err.cause?.message ?? err.message));
      },
    );
    const confirm = await confirmLogout(
      web,
      oidc.buildEndSessionUrl(outsiderConfig, { id_token_hint: tokens.id_token ?? '' }),
    );
    expect([302, 303]).toContain(confirm.status);
    // The provider awaits its notifications before answering, so nothing more is coming.
    expect(outsider.bodies).toHaveLength(0);
    expect(refused).toEqual([expect.stringMatching(/special-use IP/)]);
  });
});
