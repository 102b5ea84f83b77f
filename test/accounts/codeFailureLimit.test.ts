import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/messages.js';
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
      env: { LOGIN_LOCK_AFTER: '5', LOGIN_DISABLE_AFTER: '10', SUBJECT_LIMIT: '100' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('after 10 wrong reset codes over two resets, even the right code is refused', async () => {
    const p = await freshPerson(t, { account: true });
    let lastCode = '';
    for (let round = 0; round < 3; round++) {
      const web = new WebClient();
      const { csrf } = await getForm(web, `${t.issuer}/reset`);
      const mark = t.sms.mark();
      const start = await web.submit(
        `${t.issuer}/reset`,
        { nationalId: p.nationalId, birthDate: p.birthDate },
        csrf,
      );
      expect(start.status).toBe(303);
      lastCode = await t.sms.code(p.mobile, mark);
      if (round === 2) {
        const refused = await web.submit(`${t.issuer}/reset/code`, { code: lastCode }, csrf);
        expect(refused.status).toBe(423);
        expect(unescapeHtml(alertText(await refused.text()))).toContain(translate('ar', 'codes_blocked'));
        return;
      }
      for (let i = 0; i < 5; i++) {
        const wrong = await web.submit(`${t.issuer}/reset/code`, { code: otherCode(lastCode) }, csrf);
        expect(wrong.status).toBe(400);
      }
    }
  });

  it('a right code before the limit starts the count again', async () => {
    const p = await freshPerson(t, { account: true });
    const web = new WebClient();
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
