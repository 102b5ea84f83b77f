import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText } from '../../src/i18n/messages.js';
import {
  exchange,
  registerAndActivate,
  registerTestClient,
  rpConfig,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';
import { codeStep, freshPerson, passwordStep, resendStep, toCallback, unescapeHtml } from './journey.js';

const STRICT = 'strict-rp';

describe('the e-mail code channel', () => {
  let t: TestIdp;
  let config: oidc.Configuration;
  let strict: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true, env: { IP_LIMIT: '1000' } });
    await registerTestClient(t);
    await registerTestClient(t, {
      client_id: STRICT,
      client_name: 'Strict RP',
      name_en: 'Strict RP',
      min_acr: 'urn:hawiya:acr:standard',
    });
    config = await rpConfig(t);
    strict = await rpConfig(t, STRICT, TEST_CLIENT.client_secret);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function englishWeb() {
    const web = new WebClient(t);
    await web.request(`${t.issuer}/?lang=en`);
    return web;
  }

  it('[checklist 12] [checklist 13] password + e-mail code gives acr basic and amr pwd+otp; the page says plainly that an app or a passkey is safer than SMS', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startLogin(t, config, {}, await englishWeb());
    const mark = t.sms.mark();
    const pw = await passwordStep(t, login, p.nationalId, p.password);
    expect(pw.status).toBe(303);
    await t.sms.code(p.mobile, mark);

    const page = unescapeHtml(
      await (await login.web.request(`${t.issuer}/interaction/${login.uid}/otp`)).text(),
    );
    expect(page).toContain(pageText('en', 'otp.useEmail'));
    expect(page).toContain(pageText('en', 'otp.emailNote'));
    // [13] SMS is a restricted authenticator: the person is told, in plain words, that a passkey is safer
    expect(page).toContain('A code by text message works, but a passkey (fingerprint or face) is safer');
    expect(page).not.toContain('restricted authenticator');

    const mailMark = t.smtp.mark();
    const resend = await resendStep(t, login, 'email');
    expect(resend.status).toBe(303);
    const code = await t.smtp.code(p.email as string, mailMark);
    const emailPage = unescapeHtml(
      await (await login.web.request(`${t.issuer}${resend.headers.get('location')}`)).text(),
    );
    expect(emailPage).toContain('We sent a 6-digit code to your e-mail');

    const ok = await codeStep(t, login, code);
    expect(ok.status).toBe(303);
    const callback = await toCallback(t, login.web, ok.headers.get('location') ?? '');
    const tokens = await exchange(config, login, callback);
    const claims = tokens.claims();
    expect(claims?.acr).toBe('urn:hawiya:acr:basic');
    expect(claims?.amr).toEqual(['pwd', 'otp']);
  });

  it('[checklist 12] the e-mail on record in the registry can carry the code when the account has none', async () => {
    const p = await freshPerson(t, { email: 'on.record@example.com' });
    await registerAndActivate(t, p); // registered without typing an e-mail
    const login = await startLogin(t, config, {}, await englishWeb());
    const mark = t.sms.mark();
    expect((await passwordStep(t, login, p.nationalId, p.password)).status).toBe(303);
    await t.sms.code(p.mobile, mark);
    const mailMark = t.smtp.mark();
    expect((await resendStep(t, login, 'email')).status).toBe(303);
    const code = await t.smtp.code('on.record@example.com', mailMark);
    expect((await codeStep(t, login, code)).status).toBe(303);
  });

  it('[checklist 12] for a client whose min_acr is standard the e-mail option is not offered, nor accepted', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startLogin(t, strict, {}, await englishWeb());
    const mark = t.sms.mark();
    expect((await passwordStep(t, login, p.nationalId, p.password)).status).toBe(303);
    await t.sms.code(p.mobile, mark);
    const page = unescapeHtml(
      await (await login.web.request(`${t.issuer}/interaction/${login.uid}/otp`)).text(),
    );
    expect(page).not.toContain(pageText('en', 'otp.useEmail'));
    expect(page).not.toContain('value="email"');

    // asking for e-mail anyway sends the code by SMS, never by e-mail
    const mailMark = t.smtp.mark();
    const smsMark = t.sms.mark();
    expect((await resendStep(t, login, 'email')).status).toBe(303);
    const code = await t.sms.code(p.mobile, smsMark);
    expect(t.smtp.mark()).toBe(mailMark);
    const ok = await codeStep(t, login, code);
    const callback = await toCallback(t, login.web, ok.headers.get('location') ?? '');
    const tokens = await exchange(strict, login, callback);
    expect(tokens.claims()?.acr).toBe('urn:hawiya:acr:standard');
    expect(tokens.claims()?.amr).toEqual(['pwd', 'sms', 'mfa']);
  });

  it('[checklist 12] [checklist 16] a request that requires the standard level through the claims parameter is not offered e-mail, and does not loop back to the login', async () => {
    const p = await freshPerson(t, { account: true });
    const claims = JSON.stringify({
      id_token: { acr: { essential: true, values: ['urn:hawiya:acr:standard'] } },
    });
    const login = await startLogin(t, config, { claims }, await englishWeb());
    const mark = t.sms.mark();
    expect((await passwordStep(t, login, p.nationalId, p.password)).status).toBe(303);
    await t.sms.code(p.mobile, mark);
    const page = unescapeHtml(
      await (await login.web.request(`${t.issuer}/interaction/${login.uid}/otp`)).text(),
    );
    expect(page).not.toContain(pageText('en', 'otp.useEmail'));
    expect(page).not.toContain('value="email"');

    // asking for e-mail anyway sends the code by SMS, and the login reaches the client at the standard level
    const mailMark = t.smtp.mark();
    const smsMark = t.sms.mark();
    expect((await resendStep(t, login, 'email')).status).toBe(303);
    const code = await t.sms.code(p.mobile, smsMark);
    expect(t.smtp.mark()).toBe(mailMark);
    const ok = await codeStep(t, login, code);
    const callback = await toCallback(t, login.web, ok.headers.get('location') ?? '');
    const tokens = await exchange(config, login, callback);
    expect(tokens.claims()?.acr).toBe('urn:hawiya:acr:standard');
  });

  it('[checklist 12] acr_values=standard in the request hides the e-mail option too', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startLogin(t, config, { acr_values: 'urn:hawiya:acr:standard' }, await englishWeb());
    const mark = t.sms.mark();
    expect((await passwordStep(t, login, p.nationalId, p.password)).status).toBe(303);
    await t.sms.code(p.mobile, mark);
    const page = unescapeHtml(
      await (await login.web.request(`${t.issuer}/interaction/${login.uid}/otp`)).text(),
    );
    expect(page).not.toContain(pageText('en', 'otp.useEmail'));
  });
});
