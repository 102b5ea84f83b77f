import type * as oidc from 'openid-client';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exchange,
  followToClient,
  registerTestClient,
  rpConfig,
  type StartedLogin,
  startLogin,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, type WebClient } from '../helpers/webClient.js';
import { alertText, freshPerson, passwordStep, unescapeHtml } from './journey.js';

// The authenticator app (TOTP) and recovery codes through the real forms: enrolment on the account page,
// a code in place of the SMS code, replay refused, recovery codes once each.

describe('authenticator app and recovery codes', () => {
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

  /** The app's code for the step `steps` from now (the enrolment used this step's). */
  function appCode(secret: string, steps = 1): Promise<string> {
    return generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
  }

  async function smsSince(mark: number): Promise<string> {
    for (let i = 0; i < 100 && t.sms.messages.length === mark; i++)
      await new Promise((r) => setTimeout(r, 20));
    return t.sms.messages
      .slice(mark)
      .map((m) => m.text)
      .join('\n');
  }

  async function accountIdOf(nationalId: string): Promise<string> {
    return (await t.idp.db('accounts').where({ national_id: nationalId }).first()).id;
  }

  /** A person on their account page (password + SMS just now), who then adds an app: its secret and codes. */
  async function withApp() {
    const person = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    const mark0 = t.sms.mark();
    await passwordStep(t, login, person.nationalId, person.password);
    const code = await t.sms.code(person.mobile, mark0);
    const otp = await login.web.submit(`${t.issuer}/interaction/${login.uid}/otp`, { code }, login.csrf);
    await followToClient(t, login, otp.headers.get('location') ?? '');
    const web = login.web;
    await web.follow(`${t.issuer}/account`);
    const setup = await web.follow(`${t.issuer}/account/app`);
    expect(setup.url).toBe(`${t.issuer}/account/app`);
    const html = await setup.res.text();
    expect(html).toMatch(/<img src="data:image\/png;base64,/);
    const secret = (
      html.match(/<code aria-labelledby="secret-label">([A-Z2-7 ]+)<\/code>/)?.[1] ?? ''
    ).replace(/ /g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const csrf = csrfOf(html);
    const mark = t.sms.mark();
    const confirmed = await web.submit(`${t.issuer}/account/app`, { code: await appCode(secret, 0) }, csrf);
    expect(confirmed.status).toBe(200);
    const shown = await confirmed.text();
    const codes = [...shown.matchAll(/<li><code>([A-Z2-7-]+)<\/code><\/li>/g)].map((m) => m[1] ?? '');
    return { person, web, csrf, secret, codes, notice: await smsSince(mark) };
  }

  async function toSecondStep(person: { nationalId: string; password: string }): Promise<StartedLogin> {
    const login = await startLogin(t, config);
    const pw = await passwordStep(t, login, person.nationalId, person.password);
    expect(pw.headers.get('location')).toBe(`/interaction/${login.uid}/app`);
    return login;
  }

  async function tokensAfter(login: StartedLogin, res: Response) {
    expect(res.status).toBe(303);
    return exchange(config, login, await followToClient(t, login, res.headers.get('location') ?? ''));
  }

  it('[checklist 21] [checklist 23] enrolment shows ten recovery codes once, stores only hashes, is audited and told', async () => {
    const { person, secret, codes, notice } = await withApp();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c.replace(/-/g, '')).toMatch(/^[A-Z2-7]{16}$/); // 80 bits each
    const accountId = await accountIdOf(person.nationalId);
    const stored = await t.idp.db('recovery_codes').where({ account_id: accountId });
    expect(stored).toHaveLength(10);
    const dump = JSON.stringify(stored);
    for (const c of codes) expect(dump).not.toContain(c.replace(/-/g, ''));
    const app = await t.idp.db('authenticator_apps').where({ account_id: accountId }).first();
    expect(app.secret).toContain(secret); // no KEYS_ENCRYPTION_KEY in tests: kept marked as plain
    expect(await t.idp.db('audit_events').where({ event: 'totp_added', account_id: accountId })).toHaveLength(
      1,
    );
    expect(
      await t.idp.db('audit_events').where({ event: 'recovery_codes_generated', account_id: accountId }),
    ).toHaveLength(1);
    expect(notice).toContain('أُضيف تطبيق مصادقة');
  });

  it('[checklist 9] an app code signs in in place of the SMS code, and works once: replayed, it is refused', async () => {
    const { person, secret } = await withApp();
    const code = await appCode(secret);
    const first = await toSecondStep(person);
    const mark = t.sms.mark();
    const tokens = await tokensAfter(
      first,
      await first.web.submit(`${t.issuer}/interaction/${first.uid}/app`, { code }, first.csrf),
    );
    expect(tokens.claims()?.acr).toBe('urn:hawiya:acr:standard');
    expect(tokens.claims()?.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(t.sms.messages.slice(mark)).toEqual([]); // no SMS code was sent

    const again = await toSecondStep(person);
    const replay = await again.web.submit(`${t.issuer}/interaction/${again.uid}/app`, { code }, again.csrf);
    expect(replay.status).toBe(400);
    expect(unescapeHtml(alertText(await replay.text()))).toContain('استُخدم من قبل');
    const failed = await t.idp
      .db('audit_events')
      .where({ event: 'login_code_failed', account_id: await accountIdOf(person.nationalId) });
    expect(failed.map((f) => f.factor)).toEqual(['totp']);
  });

  it('[checklist 23] a recovery code stands in for the second factor once; used again it is refused; the page then asks for a new factor', async () => {
    const { person, web, codes } = await withApp();
    const login = await toSecondStep(person);
    const appPage = await (await login.web.request(`${t.issuer}/interaction/${login.uid}/app`)).text();
    expect(appPage).toContain(`/interaction/${login.uid}/recovery`);
    const mark = t.sms.mark();
    const code = (codes[3] ?? '').toLowerCase(); // case and dashes do not matter
    const tokens = await tokensAfter(
      login,
      await login.web.submit(`${t.issuer}/interaction/${login.uid}/recovery`, { code }, login.csrf),
    );
    expect(tokens.claims()?.acr).toBe('urn:hawiya:acr:standard');
    const accountId = await accountIdOf(person.nationalId);
    const used = await t.idp.db('audit_events').where({ event: 'recovery_code_used', account_id: accountId });
    expect(used.map((u) => JSON.parse(u.details))).toEqual([{ left: 9 }]);
    expect(await smsSince(mark)).toContain('استُخدم رمز استرداد');

    const again = await toSecondStep(person);
    const twice = await again.web.submit(
      `${t.issuer}/interaction/${again.uid}/recovery`,
      { code },
      again.csrf,
    );
    expect(twice.status).toBe(400);
    expect(unescapeHtml(alertText(await twice.text()))).toContain('رمز الاسترداد غير صحيح أو استُخدم من قبل');

    const page = await (await web.request(`${t.issuer}/account`)).text();
    expect(page).toContain('دخلت برمز استرداد');
    expect(page).toContain('بقي ٩ من ١٠'); // Arabic pages write Arabic-Indic digits
  });

  it('[checklist 21] removing the app is audited and told; the next login asks for the SMS code', async () => {
    const { person, web, csrf } = await withApp();
    const mark = t.sms.mark();
    const removed = await web.submit(`${t.issuer}/account/app/remove`, {}, csrf);
    expect(removed.headers.get('location')).toBe('/account?done=appRemoved');
    expect(await smsSince(mark)).toContain('حُذف تطبيق المصادقة');
    const accountId = await accountIdOf(person.nationalId);
    expect(
      await t.idp.db('audit_events').where({ event: 'totp_removed', account_id: accountId }),
    ).toHaveLength(1);
    const login = await startLogin(t, config);
    const pw = await passwordStep(t, login, person.nationalId, person.password);
    expect(pw.headers.get('location')).toBe(`/interaction/${login.uid}/otp`);
  });

  it('a wrong first code adds nothing and shows the same secret again', async () => {
    const person = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    const mark = t.sms.mark();
    await passwordStep(t, login, person.nationalId, person.password);
    const sms = await t.sms.code(person.mobile, mark);
    const otp = await login.web.submit(`${t.issuer}/interaction/${login.uid}/otp`, { code: sms }, login.csrf);
    await followToClient(t, login, otp.headers.get('location') ?? '');
    const web: WebClient = login.web;
    await web.follow(`${t.issuer}/account`);
    const html = await (await web.request(`${t.issuer}/account/app`)).text();
    const secret = html.match(/<code aria-labelledby="secret-label">([A-Z2-7 ]+)<\/code>/)?.[1];
    const res = await web.submit(`${t.issuer}/account/app`, { code: '000000' }, csrfOf(html));
    expect(res.status).toBe(400);
    const again = await res.text();
    expect(again).toContain(`<code aria-labelledby="secret-label">${secret}</code>`);
    expect(
      await t.idp.db('authenticator_apps').where({ account_id: await accountIdOf(person.nationalId) }),
    ).toEqual([]);
  });

  it('[checklist 21] enrolment from a sign-in older than 10 minutes is refused', async () => {
    const person = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    const mark = t.sms.mark();
    await passwordStep(t, login, person.nationalId, person.password);
    const sms = await t.sms.code(person.mobile, mark);
    const otp = await login.web.submit(`${t.issuer}/interaction/${login.uid}/otp`, { code: sms }, login.csrf);
    await followToClient(t, login, otp.headers.get('location') ?? '');
    const html = await (await login.web.follow(`${t.issuer}/account`)).res.text();
    for (const row of await t.idp.db('flows').where({ kind: 'account' })) {
      const data = JSON.parse(row.data);
      data.authTime = Math.floor(Date.now() / 1000) - 660;
      await t.idp
        .db('flows')
        .where({ id: row.id })
        .update({ data: JSON.stringify(data) });
    }
    const setup = await login.web.request(`${t.issuer}/account/app`);
    expect(setup.headers.get('location')).toBe('/account/login?reauth=1');
    const regen = await login.web.submit(`${t.issuer}/account/recovery-codes`, {}, csrfOf(html));
    expect(regen.status).toBe(403);
    expect(
      await t.idp.db('recovery_codes').where({ account_id: await accountIdOf(person.nationalId) }),
    ).toEqual([]);
  });
});
