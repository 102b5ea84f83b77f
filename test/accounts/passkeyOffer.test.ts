import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeDigits } from '../../src/registry/index.js';
import {
  exchange,
  followToClient,
  registerTestClient,
  rpConfig,
  type StartedLogin,
  startLogin,
} from '../helpers/oidcLogin.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';
import { codeStep, freshPerson, passwordStep, resendStep } from './journey.js';

// The one-time "add a passkey, faster and safer next time" offer after a password + SMS login.

describe('the passkey offer after a password + SMS login', () => {
  let t: TestIdp;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestIdp({ env: { IP_LIMIT: '1000' } });
    await registerTestClient(t);
    config = await rpConfig(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Password and SMS code: where the code step sends the browser. */
  async function passwordAndSms(
    login: StartedLogin,
    p: { nationalId: string; password: string; mobile: string },
  ) {
    const mark = t.sms.mark();
    await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/login`,
      { identifier: p.nationalId, password: p.password },
      login.csrf,
    );
    const code = normalizeDigits(await t.sms.code(p.mobile, mark));
    const res = await login.web.submit(`${t.issuer}/interaction/${login.uid}/otp`, { code }, login.csrf);
    expect(res.status).toBe(303);
    return res.headers.get('location') ?? '';
  }

  it('is shown once: "not now" goes on to the service, and the next login goes straight there', async () => {
    const person = await freshPerson(t, { account: true });
    const first = await startLogin(t, config);
    const offered = await passwordAndSms(first, person);
    expect(offered).toBe(`/interaction/${first.uid}/passkey-offer`);
    const page = await first.web.request(`${t.issuer}${offered}`);
    const html = await page.text();
    expect(html).toContain('ادخل أسرع وأأمن في المرة القادمة');
    expect(html).toContain('ليس الآن');
    const skipped = await first.web.submit(`${t.issuer}${offered}/skip`, {}, csrfOf(html));
    expect(skipped.status).toBe(303);
    const tokens = await exchange(
      config,
      first,
      await followToClient(t, first, skipped.headers.get('location') ?? ''),
    );
    expect(tokens.claims()?.acr).toBe('urn:hawiya:acr:standard');
    // Taken: the offer page of that login is gone.
    expect((await first.web.request(`${t.issuer}${offered}`)).status).not.toBe(200);

    const second = await startLogin(t, config);
    expect(await passwordAndSms(second, person)).not.toContain('passkey-offer');
  });

  it('[checklist 21] accepting enrols the passkey (audited, told by e-mail or SMS) and the login goes on; it then signs in', async () => {
    const person = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    const offered = await passwordAndSms(login, person);
    const csrf = csrfOf(await (await login.web.request(`${t.issuer}${offered}`)).text());
    const options = await login.web.submit(`${t.issuer}${offered}/options`, {}, csrf);
    expect(options.status).toBe(200);
    const device = new SoftAuthenticator({ origin: t.issuer, rpId: new URL(t.issuer).hostname });
    const mark = t.sms.mark();
    const mailMark = t.smtp.mark();
    const added = await login.web.submit(
      `${t.issuer}${offered}`,
      { name: 'هاتفي', response: device.register(await options.json()) },
      csrf,
    );
    expect(added.status).toBe(303);
    const tokens = await exchange(
      config,
      login,
      await followToClient(t, login, added.headers.get('location') ?? ''),
    );
    expect(tokens.claims()?.amr).toEqual(['pwd', 'sms', 'mfa']);
    const row = await t.idp.db('passkeys').where({ id: device.id }).first();
    expect(row.name).toBe('هاتفي');
    expect(
      await t.idp.db('audit_events').where({ event: 'passkey_added', account_id: row.account_id }),
    ).toHaveLength(1);
    // Told over another channel than a code (checklist 21): by e-mail when there is an address, else by SMS.
    for (let i = 0; i < 50 && t.sms.messages.length === mark && t.smtp.messages.length === mailMark; i++)
      await new Promise((r) => setTimeout(r, 20));
    const bySms = t.sms.messages
      .slice(mark)
      .map((m) => m.text)
      .join();
    expect(bySms.includes('أُضيف مفتاح مرور') || t.smtp.messages.length > mailMark).toBe(true);

    // The next login is by the passkey, with no ID typed.
    const next = await startLogin(t, config);
    const opts = await next.web.submit(`${t.issuer}/interaction/${next.uid}/passkey/options`, {}, next.csrf);
    const res = await next.web.submit(
      `${t.issuer}/interaction/${next.uid}/passkey`,
      { response: device.assert(await opts.json()) },
      next.csrf,
    );
    expect(res.status).toBe(303);
    const again = await exchange(
      config,
      next,
      await followToClient(t, next, res.headers.get('location') ?? ''),
    );
    expect(again.claims()?.acr).toBe('urn:hawiya:acr:high');
  });

  it('is not shown after a login by e-mail code (then it is, once, after the first by SMS)', async () => {
    const person = await freshPerson(t, { account: true });
    // In English: the e-mail catcher reads Latin digits.
    const web = new WebClient();
    await web.request(`${t.issuer}/?lang=en`);
    const login = await startLogin(t, config, {}, web);
    const mark = t.sms.mark();
    await passwordStep(t, login, person.nationalId, person.password);
    await t.sms.code(person.mobile, mark);
    const mailMark = t.smtp.mark();
    const resent = await resendStep(t, login, 'email');
    expect(resent.status, await resent.text()).toBe(303);
    const ok = await codeStep(t, login, await t.smtp.code(person.email as string, mailMark));
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).not.toContain('passkey-offer');
    const bySms = await startLogin(t, config);
    expect(await passwordAndSms(bySms, person)).toBe(`/interaction/${bySms.uid}/passkey-offer`);
  });

  it('belongs to the browser that signed in: another one holding only its URL gets nothing', async () => {
    const person = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    const offered = await passwordAndSms(login, person);
    const stranger = await startLogin(t, config);
    expect((await stranger.web.request(`${t.issuer}${offered}`)).status).not.toBe(200);
    const skip = await stranger.web.submit(`${t.issuer}${offered}/skip`, {}, stranger.csrf);
    expect(skip.status).not.toBe(303);
    expect((await login.web.request(`${t.issuer}${offered}`)).status).toBe(200);
  });
});
