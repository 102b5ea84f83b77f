import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText, translate } from '../../src/i18n/messages.js';
import { throttleKey } from '../../src/throttle/createThrottle.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';
import { alertText, freshPerson, getForm, otherCode, unescapeHtml } from './journey.js';

// Each reset (or registration) brings a new code with 5 tries; the wrong ones still add up per national
// ID, so starting over does not buy unlimited guesses. The limit is 100 in production; 10 here.
describe('[checklist 7] wrong activation and reset codes add up across transactions', () => {
  let t: TestIdp;

  beforeAll(async () => {
    t = await startTestIdp({
      inProcess: true,
      env: { LOGIN_LOCK_AFTER: '5', LOGIN_DISABLE_AFTER: '10', SUBJECT_LIMIT: '100' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Starts a reset as `web` (a stranger or the person) and returns the code that reached the mobile. */
  async function startReset(
    web: WebClient,
    csrf: string,
    p: { nationalId: string; birthDate: string; mobile: string },
  ) {
    const mark = t.sms.mark();
    const start = await web.submit(
      `${t.issuer}/reset`,
      { nationalId: p.nationalId, birthDate: p.birthDate },
      csrf,
    );
    expect(start.status).toBe(303);
    return t.sms.code(p.mobile, mark);
  }

  /** Waits for the newest long code (ABCD-EFGH-JKMN-PQRS) sent to `to` after `mark`. */
  async function longCode(to: string, mark: number): Promise<string> {
    let found = '';
    await expect
      .poll(() => {
        const msg = t.sms.messages
          .slice(mark)
          .filter((m) => m.to === to)
          .at(-1);
        found = msg?.text.match(/\b([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})\b/)?.[1] ?? '';
        return found;
      })
      .not.toBe('');
    return found;
  }

  it("[checklist 7] a stranger's wrong codes do not lock the person out: at the limit the block is audited, the person told, and a long code to the registry mobile still recovers the account", async () => {
    const p = await freshPerson(t, { account: true, email: null });
    const account = await t.idp.db('accounts').where({ national_id: p.nationalId }).first();
    // the person starts a reset of their own before the stranger is done
    const person = new WebClient(t);
    await person.request(`${t.issuer}/?lang=en`);
    const own = await getForm(person, `${t.issuer}/reset`);
    const ownCode = await startReset(person, own.csrf, p);

    // a stranger who knows the ID and birth date: two resets, 5 wrong codes each
    const noticeMark = t.sms.mark();
    for (let round = 0; round < 2; round++) {
      const stranger = new WebClient(t);
      const { csrf } = await getForm(stranger, `${t.issuer}/reset`);
      const code = await startReset(stranger, csrf, p);
      for (let i = 0; i < 5; i++) {
        const wrong = await stranger.submit(`${t.issuer}/reset/code`, { code: otherCode(code) }, csrf);
        expect(wrong.status).toBe(400);
      }
    }
    // the block is audited once, and the person is told on the registry mobile
    const blocked = await t.idp.db('audit_events').where({ event: 'codes_blocked' });
    expect(blocked).toHaveLength(1);
    expect(JSON.parse(String(blocked[0]?.details)).failures).toBe(10);
    expect(blocked[0]?.ip).toBeTruthy();
    await expect
      .poll(() =>
        t.sms.messages
          .slice(noticeMark)
          .some((m) => m.to === p.mobile && m.text.includes(translate('ar', 'notice.codes_blocked.text'))),
      )
      .toBe(true);

    // the person's 6-digit code is now refused, with the way out: a new code, a long one
    const refused = await person.submit(`${t.issuer}/reset/code`, { code: ownCode }, own.csrf);
    expect(refused.status).toBe(423);
    expect(unescapeHtml(alertText(await refused.text()))).toContain(pageText('en', 'codes_blocked'));
    const mark = t.sms.mark();
    expect((await person.submit(`${t.issuer}/reset/resend`, {}, own.csrf)).status).toBe(303);
    const long = await longCode(p.mobile, mark);
    const page = await (await person.request(`${t.issuer}/reset/code`)).text();
    expect(unescapeHtml(page)).toContain(pageText('en', 'code.long'));
    // typed as people do: lower case, spaces for dashes
    const typed = long.toLowerCase().replaceAll('-', ' ');
    expect((await person.submit(`${t.issuer}/reset/code`, { code: typed }, own.csrf)).status).toBe(303);
    const newPassword = 'ظلال الأشجار في الظهيرة';
    expect(
      (await person.submit(`${t.issuer}/reset/password`, { password: newPassword }, own.csrf)).status,
    ).toBe(303);
    expect((await t.idp.db('accounts').where({ id: account.id }).first()).password_hash).not.toBe(
      account.password_hash,
    );
    // the right code ended the block: the next reset gets a 6-digit code again
    const again = new WebClient(t);
    const next = await getForm(again, `${t.issuer}/reset`);
    expect(await startReset(again, next.csrf, p)).toMatch(/^\d{6}$/);
  });

  it('a right code before the limit starts the count again', async () => {
    const p = await freshPerson(t, { account: true });
    const web = new WebClient(t);
    const { csrf } = await getForm(web, `${t.issuer}/reset`);
    const mark = t.sms.mark();
    await web.submit(`${t.issuer}/reset`, { nationalId: p.nationalId, birthDate: p.birthDate }, csrf);
    const code = await t.sms.code(p.mobile, mark);
    for (let i = 0; i < 4; i++) await web.submit(`${t.issuer}/reset/code`, { code: otherCode(code) }, csrf);
    expect((await web.submit(`${t.issuer}/reset/code`, { code }, csrf)).status).toBe(303);
    // The right code cleared this person's count of wrong ones.
    expect(
      await t.idp
        .db('throttles')
        .where({ key: throttleKey('codes', 'nid', p.nationalId) })
        .first(),
    ).toBeUndefined();
  });
});

describe('[checklist 7] wrong codes are also counted per requester', () => {
  let t: TestIdp;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true, env: { IP_LIMIT: '4', SUBJECT_LIMIT: '100' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 7] one address gets IP_LIMIT wrong codes a window, then 429 even for a right code; the refusal is audited', async () => {
    const p = await freshPerson(t, { account: true });
    const web = new WebClient(t);
    const { csrf } = await getForm(web, `${t.issuer}/reset`);
    const mark = t.sms.mark();
    await web.submit(`${t.issuer}/reset`, { nationalId: p.nationalId, birthDate: p.birthDate }, csrf);
    const code = await t.sms.code(p.mobile, mark);
    for (let i = 0; i < 4; i++) {
      expect((await web.submit(`${t.issuer}/reset/code`, { code: otherCode(code) }, csrf)).status).toBe(400);
    }
    const limited = await web.submit(`${t.issuer}/reset/code`, { code }, csrf);
    expect(limited.status).toBe(429);
    const rows = await t.idp.db('audit_events').where({ event: 'attempt_throttled' });
    expect(rows.map((r) => JSON.parse(String(r.details)))).toContainEqual(
      expect.objectContaining({ action: 'codes', by: 'ip' }),
    );
    // the ID's own count is far from its limit: this requester alone cannot block the person
    expect(
      (
        await t.idp
          .db('throttles')
          .where({ key: throttleKey('codes', 'nid', p.nationalId) })
          .first()
      )?.count,
    ).toBe(4);
  });
});

// Every form refuses the same way (http/middleware/formErrors.ts): a held-back requester is told when to
// come back, on the code pages too, and sees the form again.
describe('[checklist 7] a requester held back on activation and reset codes', () => {
  let t: TestIdp;

  beforeAll(async () => {
    t = await startTestIdp({ env: { IP_LIMIT: '2', SUBJECT_LIMIT: '100' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 7] gets 429 with Retry-After and the code form again, for reset and activation codes alike', async () => {
    const p = await freshPerson(t, { account: true });
    const q = await freshPerson(t);
    // q's registration, up to the code step
    const applicant = new WebClient();
    const reg = await getForm(applicant, `${t.issuer}/register`);
    const regMark = t.sms.mark();
    const started = await applicant.submit(
      `${t.issuer}/register`,
      { nationalId: q.nationalId, birthDate: q.birthDate, username: q.username, password: q.password },
      reg.csrf,
    );
    expect(started.status).toBe(303);
    const activation = await t.sms.code(q.mobile, regMark);

    // p's reset: IP_LIMIT wrong codes, then the requester is held back, even with the right code
    const web = new WebClient();
    const { csrf } = await getForm(web, `${t.issuer}/reset`);
    const mark = t.sms.mark();
    await web.submit(`${t.issuer}/reset`, { nationalId: p.nationalId, birthDate: p.birthDate }, csrf);
    const code = await t.sms.code(p.mobile, mark);
    for (let i = 0; i < 2; i++) {
      expect((await web.submit(`${t.issuer}/reset/code`, { code: otherCode(code) }, csrf)).status).toBe(400);
    }
    const reset = await web.submit(`${t.issuer}/reset/code`, { code }, csrf);
    expect(reset.status).toBe(429);
    expect(Number(reset.headers.get('retry-after'))).toBeGreaterThan(0);
    const resetPage = await reset.text();
    expect(resetPage).toContain('action="/reset/code"');
    expect(alertText(resetPage)).not.toBe('');

    // the same requester's activation code is held back the same way
    const act = await applicant.submit(`${t.issuer}/register/activate`, { code: activation }, reg.csrf);
    expect(act.status).toBe(429);
    expect(Number(act.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await act.text()).toContain('action="/register/activate"');
  });
});
