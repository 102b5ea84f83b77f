import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText } from '../../src/i18n/messages.js';
import {
  authRequest,
  idpWithPerson,
  loginToCallback,
  openLoginPage,
  type Person,
  registerClient,
  rpConfig,
  secretOf,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';

// What the OIDC `claims` parameter may obtain: only the claims of the scopes a client is registered for,
// in the ID token and from userinfo, and consent names what it asks for in the person's language.
const GOV = { id: 'gov-openid-only', redirect: 'http://127.0.0.1:9/gov' };
const PRIVATE = { id: 'private-email', redirect: 'http://127.0.0.1:9/private' };
const PAIRWISE = { id: 'pairwise-profile', redirect: 'http://localhost:9/pairwise' };

/** Everything outside `openid email`, asked for by name in both places the parameter allows. */
const GREEDY_CLAIMS = JSON.stringify({
  id_token: {
    national_id: { essential: true },
    phone_number: null,
    birthdate: null,
    name: null,
    email: null,
  },
  userinfo: { national_id: { essential: true }, id_type: null, name: null, birthdate: null, gender: null },
});

const OUTSIDE = ['national_id', 'id_type', 'phone_number', 'birthdate', 'name', 'gender'];

describe('the claims parameter stays inside the client’s scopes', () => {
  let t: TestIdp;
  let person: Person;

  beforeAll(async () => {
    ({ t, person } = await idpWithPerson({ idp: { inProcess: true } }));
    await registerClient(t, {
      client_id: GOV.id,
      redirect_uris: [GOV.redirect],
      organization_type: 'government',
      first_party: true,
      scope: 'openid',
    });
    await registerClient(t, {
      client_id: PRIVATE.id,
      redirect_uris: [PRIVATE.redirect],
      scope: 'openid email',
    });
    await registerClient(t, {
      client_id: PAIRWISE.id,
      redirect_uris: [PAIRWISE.redirect],
      scope: 'openid profile',
      subject_type: 'pairwise',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A fresh browser signs in to `client` asking for `params`; returns the tokens, userinfo and consent pages. */
  async function signIn(client: { id: string; redirect: string }, params: Record<string, string>) {
    const req = await authRequest(t, { client_id: client.id, redirect_uri: client.redirect, ...params });
    const { callback, consentPages } = await loginToCallback(t, await openLoginPage(req.url, t), person, {
      redirectUri: client.redirect,
    });
    const config = await rpConfig(t, client.id, secretOf(client.id));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: req.verifier,
      expectedState: req.state,
      expectedNonce: req.nonce,
    });
    const idToken: Record<string, unknown> = tokens.claims() ?? {};
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub as string);
    return { idToken, userinfo, consentPages };
  }

  it('[checklist 36] a first-party government client registered for openid alone gets no national ID, phone, birth date or name through claims=', async () => {
    const { idToken, userinfo, consentPages } = await signIn(GOV, { scope: 'openid', claims: GREEDY_CLAIMS });
    expect(consentPages).toHaveLength(0);
    for (const claim of [...OUTSIDE, 'email']) {
      expect(idToken, `ID token ${claim}`).not.toHaveProperty(claim);
      expect(userinfo, `userinfo ${claim}`).not.toHaveProperty(claim);
    }
    expect(idToken.acr).toBe('urn:hawiya:acr:standard');
  });

  it('[checklist 36] a private client registered for openid email is asked consent for its e-mail only, named in Arabic, and gets nothing else', async () => {
    const { idToken, userinfo, consentPages } = await signIn(PRIVATE, {
      scope: 'openid',
      claims: GREEDY_CLAIMS,
    });
    expect(consentPages).toHaveLength(1);
    const html = consentPages[0] ?? '';
    expect(html).toContain('lang="ar"');
    expect(html).toContain(pageText('ar', 'claimName.email'));
    // neither raw claim names nor the claims outside the client's scopes are listed
    const listed = html.match(/<ul class="claims">([\s\S]*?)<\/ul>/)?.[1] ?? '';
    expect(listed).not.toMatch(/[a-z]_[a-z]|\bemail\b|\bname\b|birthdate/);
    expect(listed).not.toContain(pageText('ar', 'claimName.national_id'));
    expect(listed).not.toContain(pageText('ar', 'claimName.phone_number'));

    expect(idToken.email).toBeTruthy();
    for (const claim of OUTSIDE) {
      expect(idToken, `ID token ${claim}`).not.toHaveProperty(claim);
      expect(userinfo, `userinfo ${claim}`).not.toHaveProperty(claim);
    }
  });

  it('[checklist 36] a pairwise client cannot undo its pairwise subject by asking for the national ID', async () => {
    const { idToken, userinfo, consentPages } = await signIn(PAIRWISE, {
      scope: 'openid',
      claims: GREEDY_CLAIMS,
      ui_locales: 'en',
    });
    // the profile claims it asked for by name are listed in English, the national ID is not
    expect(consentPages).toHaveLength(1);
    const listed = consentPages[0]?.match(/<ul class="claims">([\s\S]*?)<\/ul>/)?.[1] ?? '';
    expect(listed).toContain(pageText('en', 'claimName.birthdate'));
    expect(listed).not.toContain(pageText('en', 'claimName.national_id'));
    expect(listed).not.toContain('birthdate');

    const account = await t.idp.db('accounts').where({ username: person.username }).first();
    expect(idToken.sub).not.toBe(String(account.id));
    for (const claim of ['national_id', 'id_type', 'phone_number', 'email']) {
      expect(idToken, `ID token ${claim}`).not.toHaveProperty(claim);
      expect(userinfo, `userinfo ${claim}`).not.toHaveProperty(claim);
    }
    expect(JSON.stringify({ idToken, userinfo })).not.toContain(person.nationalId);
    // what it may have, it gets
    expect(idToken.birthdate).toBe(person.birthDate);
  });
});
