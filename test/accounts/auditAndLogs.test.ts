import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, maskNationalId } from '../../src/shared/logger.js';
import { registerTestClient, rpConfig, startLogin } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { codeStep, freshPerson, otherCode, passwordStep, toCallback, toCodeStep } from './journey.js';

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
  return startTestIdp({ logger });
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
});
