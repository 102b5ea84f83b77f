import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeLogin,
  exchange,
  followToClient,
  registerTestClient,
  rpConfig,
  type StartedLogin,
  startLogin,
} from '../helpers/oidcLogin.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, type WebClient } from '../helpers/webClient.js';
import { freshPerson } from './journey.js';

// Passkeys at the request level, with a software authenticator that can misbehave on purpose (the browser
// journey with Chromium's virtual authenticator is in test/features/passkeys.test.ts).

const HIGH = 'urn:hawiya:acr:high';
const STANDARD = 'urn:hawiya:acr:standard';

describe('passkeys', () => {
  let t: TestIdp;
  let config: oidc.Configuration;
  let rpId: string;

  beforeAll(async () => {
    t = await startTestIdp();
    await registerTestClient(t);
    config = await rpConfig(t);
    rpId = new URL(t.issuer).hostname;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A person signed in with password + SMS, on their account page: the web client and its CSRF token. */
  async function onAccountPage() {
    const person = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    await completeLogin(t, login, person);
    const { res, url } = await login.web.follow(`${t.issuer}/account`);
    expect(url).toBe(`${t.issuer}/account`);
    return { person, web: login.web, csrf: csrfOf(await res.text()) };
  }

  async function enrol(
    page: { web: WebClient; csrf: string },
    key: SoftAuthenticator,
    o: { origin?: string; uv?: boolean } = {},
  ) {
    const options = await page.web.submit(`${t.issuer}/account/passkeys/options`, {}, page.csrf);
    expect(options.status).toBe(200);
    const response = key.register(await options.json(), o);
    return page.web.submit(`${t.issuer}/account/passkeys`, { name: 'هاتفي', response }, page.csrf);
  }

  async function passkeyOptions(login: StartedLogin) {
    const res = await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/passkey/options`,
      {},
      login.csrf,
    );
    expect(res.status).toBe(200);
    return res.json();
  }

  function submitPasskey(login: StartedLogin, response: string) {
    return login.web.submit(`${t.issuer}/interaction/${login.uid}/passkey`, { response }, login.csrf);
  }

  /** A passwordless sign-in: the ID token's claims. */
  async function signInWith(key: SoftAuthenticator, params: Record<string, string> = {}) {
    const login = await startLogin(t, config, params);
    const res = await submitPasskey(login, key.assert(await passkeyOptions(login)));
    expect(res.status).toBe(303);
    const tokens = await exchange(
      config,
      login,
      await followToClient(t, login, res.headers.get('location') ?? ''),
    );
    return tokens.claims();
  }

  /** Who was e-mailed since a mark (notices go out after the answer: waited for; checklist 21). */
  async function mailedSince(mark: number): Promise<string[]> {
    for (let i = 0; i < 100 && t.smtp.messages.length === mark; i++)
      await new Promise((r) => setTimeout(r, 20));
    return t.smtp.messages.slice(mark).map((m) => m.to);
  }

  function key(backupEligible = false) {
    return new SoftAuthenticator({ origin: t.issuer, rpId, backupEligible });
  }

  it('[checklist 15] a device-bound passkey signs in with no ID typed at the high level', async () => {
    const page = await onAccountPage();
    const device = key();
    const mark = t.smtp.mark();
    const added = await enrol(page, device);
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/account?done=passkeyAdded');
    const row = await t.idp.db('passkeys').where({ id: device.id }).first();
    expect(Boolean(row.backup_eligible)).toBe(false);
    expect(await mailedSince(mark)).toEqual([page.person.email]);

    const claims = await signInWith(device, { acr_values: HIGH });
    expect(claims?.acr).toBe(HIGH);
    expect(claims?.amr).toEqual(['hwk', 'user', 'mfa']);
    const audit = await t.idp
      .db('audit_events')
      .where({ event: 'passkey_added', account_id: row.account_id });
    expect(audit).toHaveLength(1);
  });

  it('[checklist 15] a synced passkey (BE=1) gives the standard level, never high', async () => {
    const page = await onAccountPage();
    const synced = key(true);
    expect((await enrol(page, synced)).status).toBe(303);
    const claims = await signInWith(synced, { acr_values: `${HIGH} ${STANDARD}` });
    expect(claims?.acr).toBe(STANDARD);
    expect(claims?.amr).toEqual(['swk', 'user', 'mfa']);
  });

  it('a passkey stands in for the SMS code after a password', async () => {
    const page = await onAccountPage();
    const device = key();
    await enrol(page, device);
    const login = await startLogin(t, config);
    const mark = t.sms.mark();
    const pw = await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/login`,
      { identifier: page.person.nationalId, password: page.person.password },
      login.csrf,
    );
    expect(pw.headers.get('location')).toBe(`/interaction/${login.uid}/passkey`);
    expect(t.sms.messages.slice(mark)).toEqual([]);
    const res = await submitPasskey(login, device.assert(await passkeyOptions(login)));
    const tokens = await exchange(
      config,
      login,
      await followToClient(t, login, res.headers.get('location') ?? ''),
    );
    expect(tokens.claims()?.acr).toBe(HIGH);
    expect(tokens.claims()?.amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
  });

  it('[checklist 16] a password + SMS session asked for high is stepped up with the passkey', async () => {
    const page = await onAccountPage();
    const device = key();
    await enrol(page, device);
    // The same browser (its Hawiya session is password + SMS, standard) now meets a client asking for high.
    const login = await startLogin(t, config, { acr_values: HIGH }, page.web);
    const shown = await (await page.web.request(`${t.issuer}/interaction/${login.uid}`)).text();
    expect(shown).toContain('أعلى مستوى ثقة');
    const res = await submitPasskey(login, device.assert(await passkeyOptions(login)));
    const tokens = await exchange(
      config,
      login,
      await followToClient(t, login, res.headers.get('location') ?? ''),
    );
    expect(tokens.claims()?.acr).toBe(HIGH);
  });

  it('[checklist 38] an assertion made for another origin is refused', async () => {
    const page = await onAccountPage();
    const device = key();
    await enrol(page, device);
    const login = await startLogin(t, config);
    const res = await submitPasskey(
      login,
      device.assert(await passkeyOptions(login), { origin: 'https://evil.example' }),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('تعذّر التحقق من مفتاح المرور');
  });

  it('[checklist 38] an enrolment made for another origin is refused', async () => {
    const page = await onAccountPage();
    const res = await enrol(page, key(), { origin: 'https://evil.example' });
    expect(res.status).toBe(400);
    expect(
      await t.idp
        .db('passkeys')
        .whereIn(
          'account_id',
          t.idp.db('accounts').select('id').where({ national_id: page.person.nationalId }),
        ),
    ).toEqual([]);
  });

  it('[checklist 37] a challenge works once: the same answer sent again is refused', async () => {
    const page = await onAccountPage();
    const device = key();
    await enrol(page, device);
    const login = await startLogin(t, config);
    const answer = device.assert(await passkeyOptions(login));
    const other = await startLogin(t, config);
    await passkeyOptions(other);
    // Replayed into another login, or into the same one once used: refused either way.
    expect((await submitPasskey(other, answer)).status).toBe(400);
    expect((await submitPasskey(login, answer)).status).toBe(303);
    const again = await startLogin(t, config, {}, login.web);
    expect((await submitPasskey({ ...again, uid: login.uid }, answer)).status).not.toBe(303);
  });

  it('[checklist 41] a counter going backwards refuses the passkey and is audited', async () => {
    const page = await onAccountPage();
    const device = key();
    await enrol(page, device);
    await signInWith(device);
    await signInWith(device);
    const login = await startLogin(t, config);
    const res = await submitPasskey(login, device.assert(await passkeyOptions(login), { counter: 1 }));
    expect(res.status).toBe(400);
    const audit = await t.idp.db('audit_events').where({ event: 'passkey_counter_regressed' });
    expect(audit.map((a) => JSON.parse(a.details))).toContainEqual({ reason: 'counter', stored: 2, got: 1 });
  });

  it('[checklist 39] an assertion without user verification is refused', async () => {
    const page = await onAccountPage();
    const device = key();
    await enrol(page, device);
    const login = await startLogin(t, config);
    const res = await submitPasskey(login, device.assert(await passkeyOptions(login), { uv: false }));
    expect(res.status).toBe(400);
    const refused = await t.idp
      .db('audit_events')
      .where({ event: 'passkey_refused' })
      .orderBy('id', 'desc')
      .first();
    expect(JSON.parse(refused.details).reason).toBe('verification');
  });

  it('[checklist 39] an enrolment without user verification is refused', async () => {
    const page = await onAccountPage();
    expect((await enrol(page, key(), { uv: false })).status).toBe(400);
  });

  it('[checklist 21] a removed passkey never signs in again; removing it is audited and told', async () => {
    const page = await onAccountPage();
    // Synced: a standard sign-in may remove it (a device-bound one needs a high one, passkeyFactorChanges).
    const device = key(true);
    const added = t.smtp.mark();
    await enrol(page, device);
    expect(await mailedSince(added)).toEqual([page.person.email]);
    const html = await (await page.web.request(`${t.issuer}/account`)).text();
    const action = html.match(/action="(\/account\/passkeys\/[^"]+\/remove)"/)?.[1];
    expect(action).toBeTruthy();
    const mark = t.smtp.mark();
    const removed = await page.web.submit(`${t.issuer}${action}`, {}, page.csrf);
    expect(removed.headers.get('location')).toBe('/account?done=passkeyRemoved');
    const login = await startLogin(t, config);
    expect((await submitPasskey(login, device.assert(await passkeyOptions(login)))).status).toBe(400);
    expect(await mailedSince(mark)).toEqual([page.person.email]);
  });

  it('[checklist 21] enrolment from a sign-in older than 10 minutes is refused', async () => {
    const page = await onAccountPage();
    // The account page's sign-in was 11 minutes ago.
    for (const row of await t.idp.db('flows').where({ kind: 'account' })) {
      const data = JSON.parse(row.data);
      data.authTime = Math.floor(Date.now() / 1000) - 660;
      await t.idp
        .db('flows')
        .where({ id: row.id })
        .update({ data: JSON.stringify(data) });
    }
    const options = await page.web.submit(`${t.issuer}/account/passkeys/options`, {}, page.csrf);
    expect(options.status).toBe(403);
    const device = key();
    const res = await page.web.submit(
      `${t.issuer}/account/passkeys`,
      { name: 'x', response: device.register({ challenge: 'AAAAAAAAAAAAAAAAAAAAAA', user: { id: 'x' } }) },
      page.csrf,
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('/account/login?reauth=1');
    expect(await t.idp.db('passkeys').where({ id: device.id })).toEqual([]);
  });

  it("[checklist 40] after one person's password, another person's passkey is refused", async () => {
    const a = await onAccountPage();
    const b = await onAccountPage();
    const bKey = key();
    await enrol(b, bKey);
    await enrol(a, key());
    const login = await startLogin(t, config);
    await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/login`,
      { identifier: a.person.nationalId, password: a.person.password },
      login.csrf,
    );
    expect((await submitPasskey(login, bKey.assert(await passkeyOptions(login)))).status).toBe(400);
  });
});
