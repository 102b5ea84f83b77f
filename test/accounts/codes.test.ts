import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/shared/clock.js';
import { registerTestClient, rpConfig, TEST_CLIENT } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';
import {
  accountRow,
  alertText,
  codeStep,
  freshPerson,
  getForm,
  otherCode,
  resendStep,
  startEnglishLogin,
  toCallback,
  toCodeStep,
  unescapeHtml,
} from './journey.js';

describe('one-time codes through the forms', () => {
  const clock = fakeClock();
  let t: TestIdp;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true, clock, env: { OTP_RESEND_SECONDS: '60', IP_LIMIT: '1000' } });
    await registerTestClient(t);
    config = await rpConfig(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Past any growing delay that the previous wrong code caused (the account counts code failures too). */
  const pause = () => clock.advance(10_000);

  it('[checklist 11] codes are 6 digits; a wrong code says how many tries are left; the right one signs in', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startEnglishLogin(t, config);
    const code = await toCodeStep(t, login, p);
    expect(code).toMatch(/^\d{6}$/);
    expect(t.sms.messages.at(-1)?.text).toMatch(/\b\d{6}\b/);

    const wrong = await codeStep(t, login, otherCode(code));
    expect(wrong.status).toBe(400);
    expect(unescapeHtml(alertText(await wrong.text()))).toContain('4 tries left');

    pause();
    const ok = await codeStep(t, login, code);
    expect(ok.status).toBe(303);
    const callback = await toCallback(t, login.web, ok.headers.get('location') ?? '');
    expect(callback.href.startsWith(TEST_CLIENT.redirect_uri)).toBe(true);
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  it('[checklist 11] a wrong activation code says how many tries are left', async () => {
    const p = await freshPerson(t);
    const web = new WebClient(t);
    await web.request(`${t.issuer}/?lang=en`);
    const { csrf } = await getForm(web, `${t.issuer}/register`);
    const mark = t.sms.mark();
    await web.submit(
      `${t.issuer}/register`,
      { nationalId: p.nationalId, birthDate: p.birthDate, username: p.username, password: p.password },
      csrf,
    );
    const code = await t.sms.code(p.mobile, mark);
    const wrong = await web.submit(`${t.issuer}/register/activate`, { code: otherCode(code) }, csrf);
    expect(wrong.status).toBe(400);
    expect(unescapeHtml(alertText(await wrong.text()))).toContain('4 tries left');
    expect(await accountRow(t, p.nationalId)).toBeUndefined();
    const ok = await web.submit(`${t.issuer}/register/activate`, { code }, csrf);
    expect(ok.status).toBe(303);
  });

  it('[checklist 7] five wrong codes void the code, and a resend does not bring the tries back', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startEnglishLogin(t, config);
    const code = await toCodeStep(t, login, p);
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      pause();
      const res = await codeStep(t, login, otherCode(code));
      expect(res.status).toBe(400);
      messages.push(unescapeHtml(alertText(await res.text())));
    }
    expect(messages.slice(0, 4)).toEqual(
      ['4 tries left', '3 tries left', '2 tries left', '1 try left'].map(expectContaining),
    );
    expect(messages[4]).toContain('Too many wrong codes');

    pause();
    const right = await codeStep(t, login, code);
    expect(right.status).toBe(400);
    expect(unescapeHtml(alertText(await right.text()))).toContain('Too many wrong codes');

    clock.advance(61_000);
    const mark = t.sms.mark();
    const resend = await resendStep(t, login);
    expect(resend.status).toBe(400);
    expect(unescapeHtml(alertText(await resend.text()))).toContain('Too many wrong codes');
    expect(t.sms.mark()).toBe(mark);
  });

  it('[checklist 7] resending does not reset the failure count', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startEnglishLogin(t, config);
    const first = await toCodeStep(t, login, p);
    for (let i = 0; i < 3; i++) {
      pause();
      expect((await codeStep(t, login, otherCode(first))).status).toBe(400);
    }
    expect(Number((await accountRow(t, p.nationalId))?.failed_logins)).toBe(3);

    clock.advance(61_000);
    const mark = t.sms.mark();
    expect((await resendStep(t, login)).status).toBe(303);
    const second = await t.sms.code(p.mobile, mark);
    const wrong = await codeStep(t, login, otherCode(second));
    expect(wrong.status).toBe(400);
    // the fourth wrong try of this login: one left, not four
    expect(unescapeHtml(alertText(await wrong.text()))).toContain('1 try left');
    expect(Number((await accountRow(t, p.nationalId))?.failed_logins)).toBe(4);

    pause();
    expect((await codeStep(t, login, second)).status).toBe(303);
    expect(Number((await accountRow(t, p.nationalId))?.failed_logins)).toBe(0);
  });

  it('[checklist 11] a code fails once 5 minutes have passed', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startEnglishLogin(t, config);
    const code = await toCodeStep(t, login, p);
    clock.advance(5 * 60_000 + 1000);
    const res = await codeStep(t, login, code);
    expect(res.status).toBe(400);
    expect(unescapeHtml(alertText(await res.text()))).toContain('The code has expired');
  });

  it('[checklist 9] a code is accepted once; replaying it fails', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startEnglishLogin(t, config);
    const code = await toCodeStep(t, login, p);
    const ok = await codeStep(t, login, code);
    expect(ok.status).toBe(303);
    const replay = await codeStep(t, login, code);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('location')).toBeNull();

    // the activation code too
    const q = await freshPerson(t);
    const web = new WebClient(t);
    const { csrf } = await getForm(web, `${t.issuer}/register`);
    const mark = t.sms.mark();
    await web.submit(
      `${t.issuer}/register`,
      { nationalId: q.nationalId, birthDate: q.birthDate, username: q.username, password: q.password },
      csrf,
    );
    const act = await t.sms.code(q.mobile, mark);
    expect((await web.submit(`${t.issuer}/register/activate`, { code: act }, csrf)).status).toBe(303);
    expect((await web.submit(`${t.issuer}/register/activate`, { code: act }, csrf)).status).toBe(400);
    expect(await t.idp.db('accounts').where({ national_id: q.nationalId }).count({ n: '*' })).toEqual([
      { n: 1 },
    ]);
  });

  it("[checklist 11] login A's code fails in login B of the same person", async () => {
    const p = await freshPerson(t, { account: true });
    const a = await startEnglishLogin(t, config);
    const codeA = await toCodeStep(t, a, p);
    const b = await startEnglishLogin(t, config);
    const codeB = await toCodeStep(t, b, p);
    expect(codeA).not.toBe(codeB);

    const crossed = await codeStep(t, b, codeA);
    expect(crossed.status).toBe(400);
    expect(unescapeHtml(alertText(await crossed.text()))).toContain('tries left');

    pause();
    expect((await codeStep(t, b, codeB)).status).toBe(303);
    expect((await codeStep(t, a, codeA)).status).toBe(303);
  });

  it('a resend is refused before OTP_RESEND_SECONDS and allowed after; only the newest code works', async () => {
    const p = await freshPerson(t, { account: true });
    const login = await startEnglishLogin(t, config);
    const old = await toCodeStep(t, login, p);

    const mark = t.sms.mark();
    const early = await resendStep(t, login);
    expect(early.status).toBe(429);
    expect(Number(early.headers.get('retry-after'))).toBe(60);
    expect(unescapeHtml(alertText(await early.text()))).toContain('ask for a new code in 60 seconds');
    expect(t.sms.mark()).toBe(mark);

    clock.advance(61_000);
    const later = await resendStep(t, login);
    expect(later.status).toBe(303);
    const fresh = await t.sms.code(p.mobile, mark);
    expect(fresh).toMatch(/^\d{6}$/);
    if (fresh !== old) {
      const stale = await codeStep(t, login, old);
      expect(stale.status).toBe(400);
      pause();
    }
    expect((await codeStep(t, login, fresh)).status).toBe(303);
  });
});

function expectContaining(s: string) {
  return expect.stringContaining(s) as unknown as string;
}
