import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authRequest,
  continueToCallback,
  demoPerson,
  loginToCallback,
  openLoginPage,
  type Person,
  registerAndActivate,
  registerClient,
  registerTestClient,
  rpConfig,
  secretOf,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import type { WebClient } from '../helpers/webClient.js';

// Three pairwise clients: two on one sector (host 127.0.0.1:9), one on another (localhost:9).
const CLIENTS = {
  a: { id: 'pw-a', redirect: 'http://127.0.0.1:9/pw-a' },
  a2: { id: 'pw-a2', redirect: 'http://127.0.0.1:9/pw-a2' },
  b: { id: 'pw-b', redirect: 'http://localhost:9/pw-b' },
};

describe('subject identifiers: public and pairwise', () => {
  let t: TestIdp;
  let person: Person;
  let web: WebClient;
  let publicSub: string;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t);
    for (const c of Object.values(CLIENTS)) {
      await registerClient(t, { client_id: c.id, redirect_uris: [c.redirect], subject_type: 'pairwise' });
    }
    person = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
    await registerAndActivate(t, person);

    // One login at the public test client; the pairwise clients then reuse the session.
    const config = await rpConfig(t);
    const req = await authRequest(t);
    const page = await openLoginPage(req.url, t);
    web = page.web;
    const { callback } = await loginToCallback(t, page, person);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: req.verifier,
      expectedState: req.state,
      expectedNonce: req.nonce,
    });
    publicSub = tokens.claims()?.sub ?? '';
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Signs in to a pairwise client with the existing session; returns its config and tokens. */
  async function subAt(client: { id: string; redirect: string }) {
    const config = await rpConfig(t, client.id, secretOf(client.id));
    const req = await authRequest(t, { client_id: client.id, redirect_uri: client.redirect });
    const { callback } = await continueToCallback(t, web, req.url.href, { redirectUri: client.redirect });
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: req.verifier,
      expectedState: req.state,
      expectedNonce: req.nonce,
    });
    return { config, tokens, sub: tokens.claims()?.sub ?? '' };
  }

  it('the public client gets the account id as sub', async () => {
    const account = await t.idp.db('accounts').where({ username: person.username }).first();
    expect(publicSub).toBe(String(account.id));
  });

  it('a pairwise client gets a sub different from the public one, the same in ID token, userinfo and introspection', async () => {
    const { config, tokens, sub } = await subAt(CLIENTS.a);
    expect(sub).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(sub).not.toBe(publicSub);
    expect(sub).not.toContain(publicSub);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
    expect(info.sub).toBe(sub);
    const intro = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(intro.sub).toBe(sub);
  });

  it('pairwise clients on different sectors (redirect hosts) get different subs; one sector gets one sub', async () => {
    const a = await subAt(CLIENTS.a);
    const a2 = await subAt(CLIENTS.a2);
    const b = await subAt(CLIENTS.b);
    expect(b.sub).not.toBe(a.sub);
    expect(b.sub).not.toBe(publicSub);
    expect(a2.sub).toBe(a.sub);
    // Stable over logins: the same client sees the same person again.
    expect((await subAt(CLIENTS.b)).sub).toBe(b.sub);
  });

  it('discovery offers both subject types', async () => {
    const meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    expect(meta.subject_types_supported.sort()).toEqual(['pairwise', 'public']);
  });
});
