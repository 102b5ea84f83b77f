import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers/memoryLogger.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';
import { auditRows, freshPerson, getForm } from './journey.js';

// Every POST route of Hawiya's own pages (src/http/router.ts).
const FORM_ROUTES = [
  '/interaction/abcdefghijkl/login',
  '/interaction/abcdefghijkl/otp',
  '/interaction/abcdefghijkl/otp/resend',
  '/interaction/abcdefghijkl/consent',
  '/interaction/abcdefghijkl/abort',
  '/register',
  '/register/activate',
  '/register/resend',
  '/reset',
  '/reset/code',
  '/reset/resend',
  '/reset/password',
  '/account/grants/g1/revoke',
  '/account/password',
];

describe('request bodies that cannot be read', () => {
  let t: TestIdp;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true, logger: memoryLogger(lines) });
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    t.fetch(`${t.issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
      redirect: 'manual',
    });
  const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('[checklist 44] review item 8: a body that is not gzip under Content-Encoding: gzip gets 400 on every form route, logged at warn without a stack', async () => {
    lines.length = 0;
    for (const path of FORM_ROUTES) {
      const res = await send(path, 'nationalId=1000000008&_csrf=x', { 'content-encoding': 'gzip' });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toMatch(/text\/html/);
      expect(await res.text(), path).toMatch(/The request is not valid|الطلب غير صالح/);
    }
    const refused = logged().filter((l) => l.msg === 'request body refused');
    expect(refused).toHaveLength(FORM_ROUTES.length);
    for (const l of refused) expect(l.level).toBe(40);
    expect(lines.join('')).not.toMatch(/"stack"|unexpected error|"level":50/);
  });

  it('[checklist 7] review item 8: a body over the form limit gets 413, an unknown encoding 400, never a 500', async () => {
    const big = await send('/register', `nationalId=${'1'.repeat(20_000)}`);
    expect(big.status).toBe(413);
    const encoding = await send('/reset', 'a=b', { 'content-encoding': 'x-unknown' });
    expect(encoding.status).toBe(400);
    // A real gzip body is still read (and then meets the CSRF check, as any form does).
    const gzipped = await send('/reset', new Blob([new Uint8Array(gzipSync('a=b'))]), {
      'content-encoding': 'gzip',
    });
    expect(gzipped.status).toBe(403);
    expect(lines.join('')).not.toMatch(/"stack"|unexpected error|"level":50/);
  });

  it('[checklist 44] review item 7: a NUL in the registration e-mail is refused with the form error, and nothing is sent', async () => {
    const p = await freshPerson(t);
    const web = new WebClient(t);
    const { csrf } = await getForm(web, `${t.issuer}/register?lang=en`);
    const mark = t.sms.mark();
    const res = await web.submit(
      `${t.issuer}/register`,
      {
        nationalId: p.nationalId,
        birthDate: p.birthDate,
        username: p.username,
        password: p.password,
        email: 'person\u0000@example.com',
      },
      csrf,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/The request is not valid/);
    expect(await auditRows(t, 'registration_started')).toHaveLength(0);
    expect(t.sms.messages.length).toBe(mark);
  });
});
