import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/freePort.js';
import { registerTestClient, rpConfig } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';
import {
  alertText,
  codeStep,
  freshPerson,
  getForm,
  passwordStep,
  resendStep,
  startEnglishLogin,
  unescapeHtml,
} from './journey.js';

/** No stack trace, no internals: only the friendly message. */
function expectCleanPage(page: string) {
  // the error messages' "Error:" prefix for screen readers is ours, not a stack trace
  const html = page.replace(/<span class="visually-hidden">[^<]*<\/span>/g, '');
  expect(html).not.toMatch(/\bat [\w.<>]+ \(|node_modules|Error:|DeliveryFailed/);
}

describe('code delivery failures', () => {
  let t: TestIdp;
  let config: oidc.Configuration;

  beforeAll(async () => {
    // a mail server that is not there: every e-mail fails to connect
    const deadSmtp = `smtp://127.0.0.1:${await freePort()}`;
    t = await startTestIdp({
      inProcess: true,
      env: { OTP_RESEND_SECONDS: '60', IP_LIMIT: '1000', SMTP_URL: deadSmtp },
    });
    await registerTestClient(t);
    config = await rpConfig(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 8] the SMS gateway answering 500 at registration: the same code step as always (a failure only a real person could get is not shown), the failure audited, and "send a new code" works at once', async () => {
    const p = await freshPerson(t);
    const fields = {
      nationalId: p.nationalId,
      birthDate: p.birthDate,
      username: p.username,
      password: p.password,
    };
    const web = new WebClient(t);
    const { csrf } = await getForm(web, `${t.issuer}/register`);
    t.sms.failNext();
    const started = await web.submit(`${t.issuer}/register`, fields, csrf);
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe('/register/activate');
    await expect
      .poll(async () => (await t.idp.db('audit_events').where({ event: 'code_delivery_failed' })).length)
      .toBe(1);
    expectCleanPage(await (await web.request(`${t.issuer}/register/activate`)).text());

    // the undelivered code was forgotten: a new one may be asked for at once (OTP_RESEND_SECONDS is 60 here)
    const mark = t.sms.mark();
    const resent = await web.submit(`${t.issuer}/register/resend`, {}, csrf);
    expect(resent.status).toBe(303);
    const code = await t.sms.code(p.mobile, mark);
    expect((await web.submit(`${t.issuer}/register/activate`, { code }, csrf)).status).toBe(303);
  });

  it('the SMS gateway failing at login: 503 with the message, the code is not half-written, an immediate retry works', async () => {
    const p = await freshPerson(t, { account: true, email: null });
    const login = await startEnglishLogin(t, config);
    t.sms.failNext();
    const failed = await passwordStep(t, login, p.nationalId, p.password);
    expect(failed.status).toBe(503);
    const html = await failed.text();
    expect(unescapeHtml(alertText(html))).toContain('We could not send the code just now');
    expectCleanPage(html);
    // nothing half-written: no code row survives the failed send
    expect(await t.idp.db('otp_codes').where({ binding: login.uid })).toHaveLength(0);

    // immediately again, although OTP_RESEND_SECONDS is 60: the failed send did not count
    const mark = t.sms.mark();
    const retry = await passwordStep(t, login, p.nationalId, p.password);
    expect(retry.status).toBe(303);
    const code = await t.sms.code(p.mobile, mark);
    expect((await codeStep(t, login, code)).status).toBe(303);
  });

  it('SMTP down: choosing the e-mail channel gets 503 with the message; the SMS channel still works', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startEnglishLogin(t, config);
    const mark = t.sms.mark();
    expect((await passwordStep(t, login, p.nationalId, p.password)).status).toBe(303);
    await t.sms.code(p.mobile, mark);

    // the first SMS was just sent: wait out the resend pause in the database rather than in real time
    await t.idp
      .db('otp_codes')
      .where({ binding: login.uid })
      .update({ created_at: Date.now() - 61_000 });
    const failed = await resendStep(t, login, 'email');
    expect(failed.status).toBe(503);
    const html = await failed.text();
    expect(unescapeHtml(alertText(html))).toContain('We could not send the code just now');
    expectCleanPage(html);

    const mark2 = t.sms.mark();
    expect((await resendStep(t, login, 'sms')).status).toBe(303);
    const code = await t.sms.code(p.mobile, mark2);
    expect((await codeStep(t, login, code)).status).toBe(303);
  });
});
