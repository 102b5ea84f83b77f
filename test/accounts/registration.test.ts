import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText } from '../../src/i18n/messages.js';
import { withCheckDigit } from '../../src/registry/index.js';
import { demoPerson, type Person, registerAndActivate } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';
import { accountRow, alertText, freshPerson, getForm, unescapeHtml } from './journey.js';

describe('registration through the forms', () => {
  let t: TestIdp;
  let mohammed: Person;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true, env: { IP_LIMIT: '1000' } });
    mohammed = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
    await registerAndActivate(t, mohammed);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function post(
    fields: Record<string, string>,
    opts: { query?: string; headers?: Record<string, string> } = {},
  ) {
    const web = new WebClient(t);
    const { csrf } = await getForm(web, `${t.issuer}/register${opts.query ?? ''}`, opts.headers);
    const res = await web.submit(`${t.issuer}/register${opts.query ?? ''}`, fields, csrf, opts.headers);
    const html = await res.text();
    return { res, html, csrf, web };
  }

  const base = { birthDate: '1990-01-01', username: 'newperson', password: 'قهوة الصباح مع الهيل' };

  it.each([
    ['1000000007', 'national_id_checksum', 'check the digits'],
    ['3000000008', 'national_id_type', 'start with 1 (citizen) or 2 (resident)'],
    ['100000000', 'national_id_format', 'must be 10 digits'],
  ] as const)(
    'a malformed national ID %s gets its own clear message, in Arabic by default and in English on request, and nothing is sent',
    async (nationalId, key, english) => {
      const sent = t.sms.mark();
      const ar = await post({ ...base, nationalId });
      expect(ar.res.status).toBe(400);
      expect(ar.html).toContain('lang="ar"');
      expect(unescapeHtml(alertText(ar.html))).toContain(pageText('ar', key));

      const en = await post({ ...base, nationalId }, { query: '?lang=en' });
      expect(en.res.status).toBe(400);
      expect(unescapeHtml(alertText(en.html))).toContain(english);

      const al = await post({ ...base, nationalId }, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } });
      expect(al.res.status).toBe(400);
      expect(unescapeHtml(alertText(al.html))).toContain(english);

      expect(t.sms.mark()).toBe(sent);
      expect(t.smtp.mark()).toBe(0);
    },
  );

  it('[checklist 8] wrong birth date, deceased person, existing account and unknown ID get the same answer', async () => {
    const sent = t.sms.mark();
    const cases = [
      { nationalId: '1123987453', birthDate: '2001-07-31' }, // Sarah, wrong birth date
      { nationalId: '1088345622', birthDate: '1941-01-09' }, // deceased
      { nationalId: mohammed.nationalId, birthDate: mohammed.birthDate }, // already has an account
      { nationalId: withCheckDigit('123456789'), birthDate: '1990-01-01' }, // not in the registry
    ];
    const answers: { status: number; location: string | null; page: string }[] = [];
    for (const c of cases) {
      const r = await post({ ...c, username: 'samename', password: base.password });
      // the same code step as a real registration: whether any of these has an account is not told here
      const page = await (await r.web.request(`${t.issuer}/register/activate`)).text();
      answers.push({
        status: r.res.status,
        location: r.res.headers.get('location'),
        page: page.replaceAll(r.csrf, 'CSRF'),
      });
    }
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
    expect(answers[0]?.status).toBe(303);
    expect(answers[0]?.location).toBe('/register/activate');
    // only Mohammed, who has an account, is told so, on his registry mobile: no code reaches anyone
    await expect.poll(() => t.sms.messages.slice(sent).map((m) => m.to)).toEqual([mohammed.mobile]);
    expect(t.sms.messages[sent]?.text).not.toMatch(/\b\d{6}\b/);
  });

  it('[checklist 22] the activation code goes to the registry mobile (the page shows none of its digits); a typed mobile changes nothing; the account exists only after the code', async () => {
    const p = await freshPerson(t);
    const web = new WebClient(t);
    const { csrf, html: formHtml } = await getForm(web, `${t.issuer}/register`);
    expect(formHtml).not.toMatch(/name="(mobile|phone)"/);
    const mark = t.sms.mark();
    const res = await web.submit(
      `${t.issuer}/register`,
      {
        nationalId: p.nationalId,
        birthDate: p.birthDate,
        username: p.username,
        password: p.password,
        mobile: '0599999999',
        phone: '0599999999',
        phone_number: '0599999999',
      },
      csrf,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/register/activate');
    const code = await t.sms.code(p.mobile, mark);
    expect(code).toMatch(/^\d{6}$/);
    const sentTo = t.sms.messages.slice(mark).map((m) => m.to);
    expect(sentTo).toEqual([p.mobile]);

    const page = await (await web.request(`${t.issuer}/register/activate`)).text();
    expect(unescapeHtml(page)).toContain(pageText('ar', 'activate.sent'));
    expect(page).not.toContain(p.mobile);
    expect(page).not.toContain(`******${p.mobile.slice(-2)}`);

    expect(await accountRow(t, p.nationalId)).toBeUndefined();
    const act = await web.submit(`${t.issuer}/register/activate`, { code }, csrf);
    expect(act.status).toBe(303);
    const row = await accountRow(t, p.nationalId);
    expect(row?.status).toBe('active');
    expect(row?.username).toBe(p.username);
  });

  it('the activation page names the registry mobile without its digits; sign-in masks it as 05******12', async () => {
    const web = new WebClient(t);
    const { csrf } = await getForm(web, `${t.issuer}/register`);
    // Mohammed has an account already: use Noura (0557654321)
    const res = await web.submit(
      `${t.issuer}/register`,
      { nationalId: '1045238712', birthDate: '1992-11-02', username: 'noura', password: base.password },
      csrf,
    );
    expect(res.status).toBe(303);
    const page = await (await web.request(`${t.issuer}/register/activate`)).text();
    // a masked number would differ between a real registration and a decoy (checklist 8)
    expect(page).not.toContain('05******21');
    expect(unescapeHtml(page)).toContain(pageText('ar', 'activate.sent'));
    // the sign-in code page still masks the number: Mohammed's, as in the example
    const { maskPhone } = await import('../../src/shared/logger.js');
    expect(maskPhone(mohammed.mobile)).toBe('05******12');
  });

  it('[checklist 8] a taken username is told only to the holder of the registry mobile, after the right code', async () => {
    const p = await freshPerson(t);
    const mark = t.sms.mark();
    const r = await post(
      { nationalId: p.nationalId, birthDate: p.birthDate, username: 'MOHAMMED', password: p.password },
      { query: '?lang=en' },
    );
    // the same code step as for a free username: a stranger cannot test usernames
    expect(r.res.status).toBe(303);
    expect(r.res.headers.get('location')).toBe('/register/activate');
    const code = await t.sms.code(p.mobile, mark);
    const act = await r.web.submit(`${t.issuer}/register/activate`, { code }, r.csrf);
    expect(act.status).toBe(400);
    expect(unescapeHtml(alertText(await act.text()))).toContain(
      'Your mobile is confirmed, but the username you chose is taken',
    );
    expect(await accountRow(t, p.nationalId)).toBeUndefined();
  });

  it('[checklist 1] a 7-character password is refused with the reason, 8 characters are accepted', async () => {
    const p = await freshPerson(t);
    const short = await post(
      { nationalId: p.nationalId, birthDate: p.birthDate, username: p.username, password: 'kq7#vb2' },
      { query: '?lang=en' },
    );
    expect(short.res.status).toBe(400);
    expect(unescapeHtml(alertText(short.html))).toContain('at least 8 characters');
    expect(short.html).not.toContain('kq7#vb2');

    const mark = t.sms.mark();
    const ok = await post({
      nationalId: p.nationalId,
      birthDate: p.birthDate,
      username: p.username,
      password: 'kq7#vb2m',
    });
    expect(ok.res.status).toBe(303);
    await t.sms.code(p.mobile, mark);
  });

  it.each([
    ['password123', 'common or appeared in past breaches'],
    ['USERNAME', 'must not contain your username'],
    ['my id is NID ok', 'must not contain your national ID'],
  ])('[checklist 4] the password %s is refused with the reason', async (template, reason) => {
    const p = await freshPerson(t);
    const password = template.replace('USERNAME', p.username).replace('NID', p.nationalId);
    const mark = t.sms.mark();
    const r = await post(
      { nationalId: p.nationalId, birthDate: p.birthDate, username: p.username, password },
      { query: '?lang=en' },
    );
    expect(r.res.status).toBe(400);
    expect(unescapeHtml(alertText(r.html))).toContain(reason);
    expect(t.sms.mark()).toBe(mark);
    expect(await accountRow(t, p.nationalId)).toBeUndefined();
  });
});
