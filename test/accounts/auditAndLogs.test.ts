import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, maskNationalId } from '../../src/shared/logger.js';
import { exchange, registerTestClient, rpConfig, startLogin } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';
import {
  codeStep,
  freshPerson,
  getForm,
  otherCode,
  passwordStep,
  toCallback,
  toCodeStep,
} from './journey.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) HawiyaTest/1.0';

/** startTestIdp, with the logger writing every line into memory. */
function startLoggedIdp(lines: string[]): Promise<TestIdp> {
  const logger = createLogger({
    level: 'debug',
    stream: {
      write(line: string) {
        lines.push(line);
      },
    },
  });
  return startTestIdp({ inProcess: true, logger });
}

describe('audit trail and log lines', () => {
  const lines: string[] = [];
  let t: TestIdp;

  beforeAll(async () => {
    t = await startLoggedIdp(lines);
    await registerTestClient(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 43] [checklist 44] a whole registration and login is audited with masked IDs, and the logs hold no password, code or full national ID', async () => {
    const config = await rpConfig(t);
    const p = await freshPerson(t, { account: true });
    const wrongPassword = 'not my password at all';

    const login = await startLogin(t, config);
    expect((await passwordStep(t, login, p.nationalId, wrongPassword)).status).toBe(401);
    const code = await toCodeStep(t, login, p);
    expect((await codeStep(t, login, otherCode(code))).status).toBe(400);
    const ok = await codeStep(t, login, code);
    expect(ok.status).toBe(303);
    await toCallback(t, login.web, ok.headers.get('location') ?? '');

    const account = await t.idp.db('accounts').where({ national_id: p.nationalId }).first();
    const rows = await t.idp.db('audit_events').orderBy('id');
    const mine = rows.filter(
      (r) => r.account_id === account.id || r.national_id_masked === maskNationalId(p.nationalId),
    );
    const events = mine.map((r) => r.event);
    for (const e of [
      'registration_started',
      'code_sent',
      'account_activated',
      'login_password_failed',
      'login_password_ok',
      'login_code_failed',
      'login_succeeded',
    ]) {
      expect(events, e).toContain(e);
    }
    const started = mine.find((r) => r.event === 'registration_started');
    expect(started?.national_id_masked).toBe(maskNationalId(p.nationalId));
    expect(started?.national_id_masked).not.toBe(p.nationalId);
    const success = mine.find((r) => r.event === 'login_succeeded');
    expect(success?.ip).toBeTruthy();
    expect(success?.factor).toBe('pwd+sms');
    expect(success?.client_id).toBe('test-rp');
    expect(mine.filter((r) => r.event === 'code_sent').map((r) => r.factor)).toContain('sms');

    // the audit table itself never holds the full ID, a password or a code
    const table = JSON.stringify(rows);
    expect(table).not.toContain(p.nationalId);
    expect(table).not.toContain(p.password);

    // the log lines
    expect(lines.length).toBeGreaterThan(20);
    const log = lines.join('');
    expect(log).toContain('audit login_succeeded');
    expect(log).not.toContain(p.nationalId);
    expect(log).not.toContain(p.password);
    expect(log).not.toContain(wrongPassword);
    expect(log).not.toContain(p.mobile);
    const codes = t.sms.messages.map((m) => m.text.match(/\b(\d{6})\b/)?.[1]).filter(Boolean) as string[];
    expect(codes.length).toBeGreaterThanOrEqual(2);
    for (const c of [...codes, otherCode(code)]) expect(log).not.toMatch(new RegExp(`\\b${c}\\b`));
  });

  it('[checklist 43] the audit trail records the browser (user agent) of each attempt', async () => {
    const config = await rpConfig(t);
    const p = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    const res = await passwordStep(t, login, p.nationalId, 'not my password at all', {
      'User-Agent': BROWSER,
    });
    expect(res.status).toBe(401);
    const account = await t.idp.db('accounts').where({ national_id: p.nationalId }).first();
    const row = await t.idp
      .db('audit_events')
      .where({ event: 'login_password_failed', account_id: account.id })
      .first();
    expect(row?.user_agent).toBe(BROWSER);
    expect(row?.ip).toBeTruthy();
  });

  it('[checklist 43] a sign-out is audited: whose session, which client, from where and with which browser', async () => {
    const config = await rpConfig(t);
    const p = await freshPerson(t, { account: true });
    const login = await startLogin(t, config);
    const code = await toCodeStep(t, login, p);
    const ok = await codeStep(t, login, code);
    const tokens = await exchange(
      config,
      login,
      await toCallback(t, login.web, ok.headers.get('location') ?? ''),
    );
    const account = await t.idp.db('accounts').where({ national_id: p.nationalId }).first();

    const end = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: 'http://127.0.0.1:9/bye',
    });
    const confirm = await login.web.request(end.href, { headers: { 'User-Agent': BROWSER } });
    const html = await confirm.text();
    const xsrf = html.match(/name="xsrf" value="([^"]+)"/)?.[1] ?? '';
    const action =
      html.match(/<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"/)?.[1] ??
      html.match(/action="([^"]+)"[^>]*id="op.logoutForm"/)?.[1] ??
      '/session/end/confirm';
    const done = await login.web.request(new URL(action, t.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'User-Agent': BROWSER },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    expect(done.status).toBe(303);

    await expect.poll(async () => (await t.idp.db('audit_events').where({ event: 'logout' })).length).toBe(1);
    const row = await t.idp.db('audit_events').where({ event: 'logout' }).first();
    expect(row.account_id).toBe(account.id);
    expect(row.client_id).toBe('test-rp');
    expect(row.ip).toBeTruthy();
    expect(row.user_agent).toBe(BROWSER);
    expect(JSON.parse(String(row.details))).toEqual({ everywhere: true });
  });

  it('[checklist 43] throttled attempts are audited: a login slowed after repeated failures, registrations over the per-ID limit', async () => {
    const config = await rpConfig(t);
    const p = await freshPerson(t, { account: true });
    const account = await t.idp.db('accounts').where({ national_id: p.nationalId }).first();
    const login = await startLogin(t, config);
    // LOGIN_DELAY_AFTER (3) failures, then an immediate fourth try is slowed
    for (let i = 0; i < 3; i++) {
      expect((await passwordStep(t, login, p.nationalId, `wrong password ${i}`)).status).toBe(401);
    }
    const slowed = await passwordStep(t, login, p.nationalId, p.password, { 'User-Agent': BROWSER });
    expect(slowed.status).toBe(429);
    const throttled = await t.idp
      .db('audit_events')
      .where({ event: 'login_throttled', account_id: account.id });
    expect(throttled).toHaveLength(1);
    expect(throttled[0]?.user_agent).toBe(BROWSER);
    expect(JSON.parse(String(throttled[0]?.details))).toMatchObject({
      action: 'login',
      reason: 'too_many_attempts',
    });

    // SUBJECT_LIMIT (10) registrations a window for one national ID; the 11th is refused and recorded
    const other = await freshPerson(t);
    const web = new WebClient(t);
    const { csrf } = await getForm(web, `${t.issuer}/register`);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await web.submit(
        `${t.issuer}/register`,
        {
          nationalId: other.nationalId,
          birthDate: other.birthDate,
          username: other.username,
          password: other.password,
        },
        csrf,
      );
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.at(-1)).toBe(429);
    const refused = await t.idp
      .db('audit_events')
      .where({ event: 'attempt_throttled', national_id_masked: maskNationalId(other.nationalId) });
    expect(refused.map((r) => JSON.parse(String(r.details)))).toContainEqual(
      expect.objectContaining({ action: 'register', by: 'nid', reason: 'too_many_attempts' }),
    );
  });
});
