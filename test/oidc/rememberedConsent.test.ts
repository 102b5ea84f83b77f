import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authRequest,
  continueToCallback,
  idpWithPerson,
  loginToCallback,
  openLoginPage,
  type Person,
  registerClient,
  rpConfig,
  secretOf,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import type { WebClient } from '../helpers/webClient.js';

// A remembered consent belongs to the person, not to one browser's session.
const GOV = { id: 'gov-first-party', redirect: 'http://127.0.0.1:9/gov' };
const BYE = 'http://127.0.0.1:9/bye';

describe('remembered consent across browsers and requests', () => {
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;

  beforeAll(async () => {
    ({ t, person, config } = await idpWithPerson({ idp: { inProcess: true } }));
    await registerClient(t, {
      client_id: GOV.id,
      redirect_uris: [GOV.redirect],
      organization_type: 'government',
      first_party: true,
      scope: 'openid profile national_id',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function exchange(
    rp: oidc.Configuration,
    req: Awaited<ReturnType<typeof authRequest>>,
    callback: URL,
  ) {
    return oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: req.verifier,
      expectedState: req.state,
      expectedNonce: req.nonce,
    });
  }

  /** A new browser signs in to the test client; returns its browser, tokens and the consent pages met. */
  async function newBrowser(params: Record<string, string> = {}) {
    const req = await authRequest(t, params);
    const page = await openLoginPage(req.url, t);
    const { callback, consentPages } = await loginToCallback(t, page, person);
    return { web: page.web, tokens: await exchange(config, req, callback), consentPages };
  }

  async function userinfoStatus(accessToken: string): Promise<number> {
    const res = await t.fetch(config.serverMetadata().userinfo_endpoint ?? '', {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return res.status;
  }

  /** RP-initiated logout from `web`, confirmed on Hawiya's page (sign out of everything). */
  async function signOut(web: WebClient, idToken: string): Promise<void> {
    const end = oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: BYE });
    const page = await (await web.request(end.href)).text();
    const xsrf = page.match(/name="xsrf" value="([^"]+)"/)?.[1] ?? '';
    const action = page.match(/id="op.logoutForm" method="post" action="([^"]+)"/)?.[1] ?? '';
    const res = await web.request(new URL(action, t.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    expect(res.headers.get('location')).toMatch(new RegExp(`^${BYE}`));
  }

  it('[checklist 36] [checklist 19] signing out in one browser ends that session only: the consent and the other browser’s tokens stay', async () => {
    const a = await newBrowser({ scope: 'openid profile' });
    expect(a.consentPages).toHaveLength(1);
    const b = await newBrowser({ scope: 'openid profile' });
    expect(b.consentPages).toHaveLength(0);

    await signOut(a.web, a.tokens.id_token ?? '');
    // this browser's session and its tokens are over ...
    expect(await userinfoStatus(a.tokens.access_token)).toBe(401);
    // ... the other browser's are not, and it still signs in silently with the consent it relies on
    expect(await userinfoStatus(b.tokens.access_token)).toBe(200);
    const silent = await authRequest(t, { scope: 'openid profile', prompt: 'none' });
    const { url } = await b.web.follow(silent.url.href, (next) => next.startsWith(TEST_CLIENT.redirect_uri));
    const back = new URL(url);
    expect(back.searchParams.get('error')).toBeNull();
    expect(back.searchParams.get('code')).toBeTruthy();
    // and the consent is still remembered for a new browser
    expect((await newBrowser({ scope: 'openid profile' })).consentPages).toHaveLength(0);
    // (a.web now has no session: a new login would be asked there)
    const again = await authRequest(t, { scope: 'openid profile', prompt: 'none' });
    const { url: refused } = await a.web.follow(again.url.href, (next) =>
      next.startsWith(TEST_CLIENT.redirect_uri),
    );
    expect(new URL(refused).searchParams.get('error')).toBe('login_required');
  });

  it('[checklist 36] a first-party service asking for more than the last time gets no consent page, in the same browser or another', async () => {
    const rp = await rpConfig(t, GOV.id, secretOf(GOV.id));
    const narrow = await authRequest(t, { client_id: GOV.id, redirect_uri: GOV.redirect, scope: 'openid' });
    const page = await openLoginPage(narrow.url, t);
    const first = await loginToCallback(t, page, person, { redirectUri: GOV.redirect });
    expect(first.consentPages).toHaveLength(0);

    const wider = { client_id: GOV.id, redirect_uri: GOV.redirect, scope: 'openid profile national_id' };
    const sameBrowser = await authRequest(t, wider);
    const second = await continueToCallback(t, page.web, sameBrowser.url.href, { redirectUri: GOV.redirect });
    expect(second.consentPages).toHaveLength(0);
    const tokens = await exchange(rp, sameBrowser, second.callback);
    const info = await oidc.fetchUserInfo(rp, tokens.access_token, tokens.claims()?.sub ?? '');
    expect(info.national_id).toBe(person.nationalId);

    const otherBrowser = await authRequest(t, wider);
    const third = await loginToCallback(t, await openLoginPage(otherBrowser.url, t), person, {
      redirectUri: GOV.redirect,
    });
    expect(third.consentPages).toHaveLength(0);
    expect(third.callback.searchParams.get('code')).toBeTruthy();
  });
});
