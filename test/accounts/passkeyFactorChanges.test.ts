import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeDigits } from '../../src/registry/index.js';
import { registerTestClient, rpConfig } from '../helpers/oidcLogin.js';
import type { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';
import { HIGH, passkeySteps } from './passkeySteps.js';

// Changing sign-in factors (R6 of the attack review): a recent login at the highest level the account's
// factors reach, and a notice over a channel other than SMS when there is an e-mail address (checklist 21).

describe('changing sign-in factors', () => {
  let t: TestIdp;
  let config: oidc.Configuration;
  let steps: ReturnType<typeof passkeySteps>;

  beforeAll(async () => {
    t = await startTestIdp();
    await registerTestClient(t);
    config = await rpConfig(t);
    steps = passkeySteps(t, () => config);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The account pages' sign-in in a new browser, from /account/login (`?reauth=1`): its login page. */
  async function accountSignIn(web = new WebClient(t), reauth = false) {
    const { res, url } = await web.follow(`${t.issuer}/account/login${reauth ? '?reauth=1' : ''}`);
    const uid = url.match(/\/interaction\/([^/?]+)/)?.[1];
    if (!uid) throw new Error(`no interaction: ${url}`);
    return { web, uid, csrf: csrfOf(await res.text()) };
  }

  /** Password, then "send me a code by SMS instead" past the passkey step: what a password + SIM holder does. */
  async function withPasswordAndSms(person: { nationalId: string; password: string; mobile: string }) {
    const login = await accountSignIn();
    const base = `${t.issuer}/interaction/${login.uid}`;
    const pw = await login.web.submit(
      `${base}/login`,
      { identifier: person.nationalId, password: person.password },
      login.csrf,
    );
    expect(pw.headers.get('location')).toBe(`/interaction/${login.uid}/passkey`);
    const mark = t.sms.mark();
    await login.web.submit(`${base}/otp/resend`, { channel: 'sms' }, login.csrf);
    const code = normalizeDigits(await t.sms.code(person.mobile, mark));
    const otp = await login.web.submit(`${base}/otp`, { code }, login.csrf);
    const { res, url } = await login.web.follow(new URL(otp.headers.get('location') ?? '', t.issuer).href);
    expect(url).toBe(`${t.issuer}/account`);
    return { web: login.web, csrf: csrfOf(await res.text()) };
  }

  /** A passkey alone at the account pages' sign-in (`reauth`: the fresh one before a change). */
  async function withPasskey(key: SoftAuthenticator, web?: WebClient) {
    const login = await accountSignIn(web, web !== undefined);
    const started = { ...login, verifier: '', state: '', nonce: '', authUrl: new URL(t.issuer) };
    const res = await steps.submitPasskey(started, key.assert(await steps.passkeyOptions(started)));
    expect(res.status).toBe(303);
    const { res: page, url } = await login.web.follow(
      new URL(res.headers.get('location') ?? '', t.issuer).href,
    );
    expect(url).toBe(`${t.issuer}/account`);
    return { web: login.web, csrf: csrfOf(await page.text()) };
  }

  function passkeysOf(nationalId: string) {
    return t.idp
      .db('passkeys')
      .whereIn('account_id', t.idp.db('accounts').select('id').where({ national_id: nationalId }));
  }

  it("[checklist 21] a password + SIM holder cannot replace a person's device-bound passkey", async () => {
    const page = await steps.onAccountPage();
    const bound = steps.key();
    expect((await steps.enrol(page, bound)).status).toBe(303);
    const [row] = await passkeysOf(page.person.nationalId);

    const attacker = await withPasswordAndSms(page.person);
    const html = await (await attacker.web.request(`${t.issuer}/account`)).text();
    expect(html).toContain('/account/login?reauth=1');
    const options = await attacker.web.submit(`${t.issuer}/account/passkeys/options`, {}, attacker.csrf);
    expect(options.status).toBe(403);
    const removed = await attacker.web.submit(
      `${t.issuer}/account/passkeys/${row.id}/remove`,
      {},
      attacker.csrf,
    );
    expect(removed.status).toBe(403);
    expect(await passkeysOf(page.person.nationalId)).toHaveLength(1);

    // Signing in again for the change asks for the high level, which only the passkey gives.
    const again = await attacker.web.request(`${t.issuer}/account/login?reauth=1`);
    const auth = new URL(again.headers.get('location') ?? '');
    expect(auth.searchParams.get('acr_values')).toBe(HIGH);
    expect(auth.searchParams.get('max_age')).toBe('0');
  });

  it('[checklist 21] the person signs in again with the device-bound passkey and may change factors', async () => {
    const page = await steps.onAccountPage();
    const bound = steps.key();
    await steps.enrol(page, bound);
    // The standard sign-in the passkey was added from is no longer enough for the next change.
    expect((await page.web.submit(`${t.issuer}/account/passkeys/options`, {}, page.csrf)).status).toBe(403);
    const fresh = await withPasskey(bound, page.web);
    const second = steps.key();
    expect((await steps.enrol(fresh, second)).status).toBe(303);
    expect(await passkeysOf(page.person.nationalId)).toHaveLength(2);
  });

  it('[checklist 21] factor changes are told by e-mail when there is an address, else by SMS', async () => {
    const withEmail = await steps.onAccountPage();
    const smsMark = t.sms.mark();
    const mailMark = t.smtp.mark();
    expect((await steps.enrol(withEmail, steps.key(true))).status).toBe(303);
    // Notices go out after the answer.
    await expect
      .poll(() => t.smtp.messages.slice(mailMark).map((m) => m.to))
      .toEqual([withEmail.person.email]);
    expect(mailBody(t.smtp.messages.at(-1)?.text ?? '')).toContain('أُضيف مفتاح مرور');
    expect(t.sms.messages.slice(smsMark).filter((m) => m.to === withEmail.person.mobile)).toEqual([]);

    const noEmail = await steps.onAccountPage({ email: null });
    const mark = t.sms.mark();
    expect((await steps.enrol(noEmail, steps.key(true))).status).toBe(303);
    await expect
      .poll(() => t.sms.messages.slice(mark).map((m) => m.text))
      .toEqual([expect.stringContaining('أُضيف مفتاح مرور')]);
  });
});

/** The text of a caught e-mail (its body is base64). */
function mailBody(raw: string): string {
  const body = raw
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('');
  return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
}
