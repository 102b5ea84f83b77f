// Small steps of the account journeys, driven through the real forms (shared by test/accounts/*.test.ts).
import type * as oidc from 'openid-client';
import { createRegistryRepo, normalizeDigits, withCheckDigit } from '../../src/registry/index.js';
import {
  type Person,
  registerAndActivate,
  type StartedLogin,
  skipPasskeyOffer,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';

let serial = 0;

/**
 * A fresh living person in the registry (unique ID and mobile), so each test has its own failure counters.
 * With `account`, the person is registered and activated through the forms.
 */
export async function freshPerson(
  t: TestIdp,
  opts: { account?: boolean; email?: string | null; password?: string } = {},
): Promise<Person & { email: string | null }> {
  serial += 1;
  const n = String(process.pid % 1000).padStart(3, '0') + String(serial).padStart(5, '0');
  const nationalId = withCheckDigit(`1${n}`);
  const mobile = `059${String(serial).padStart(7, '0')}`;
  const email = opts.email === undefined ? `person${serial}@example.com` : opts.email;
  await createRegistryRepo(t.idp.db).upsertMany([
    {
      nationalId,
      idType: 'citizen',
      givenNameAr: 'خالد',
      familyNameAr: 'الحربي',
      givenNameEn: 'Khalid',
      familyNameEn: 'Al-Harbi',
      birthDate: '1990-05-17',
      sex: 'M',
      status: 'living',
      mobile,
      email,
    },
  ]);
  const person = {
    nationalId,
    birthDate: '1990-05-17',
    mobile,
    username: `khalid${serial}x${process.pid % 1000}`,
    password: 'قهوة الصباح مع الهيل',
    email,
  };
  if (opts.password) person.password = opts.password;
  if (opts.account) {
    if (email) await registerWithEmail(t, person, email);
    else await registerAndActivate(t, person);
  }
  return person;
}

/** Registration with the optional e-mail field filled in (the e-mail channel needs it on the account). */
export async function registerWithEmail(t: TestIdp, p: Person, email: string): Promise<void> {
  const web = new WebClient(t);
  const { csrf } = await getForm(web, `${t.issuer}/register`);
  const mark = t.sms.mark();
  const res = await web.submit(
    `${t.issuer}/register`,
    { nationalId: p.nationalId, birthDate: p.birthDate, username: p.username, password: p.password, email },
    csrf,
  );
  if (res.status !== 303) throw new Error(`registration failed: ${res.status}`);
  const code = await t.sms.code(p.mobile, mark);
  const act = await web.submit(`${t.issuer}/register/activate`, { code }, csrf);
  if (act.status !== 303) throw new Error(`activation failed: ${act.status}`);
}

export async function getForm(web: WebClient, url: string, headers: Record<string, string> = {}) {
  const res = await web.request(url, { headers });
  const html = await res.text();
  return { res, html, csrf: csrfOf(html) };
}

/** The text of the page's alert (errors), tags stripped. */
export function alertText(html: string): string {
  const m = html.match(/<div class="(?:alert|error-summary)"[^>]*>([\s\S]*?)<\/div>/);
  return (m?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Decodes the few entities Eta writes, so a message can be compared with the catalogue. */
export function unescapeHtml(s: string): string {
  return s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export async function passwordStep(
  t: TestIdp,
  login: StartedLogin,
  identifier: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return login.web.submit(
    `${t.issuer}/interaction/${login.uid}/login`,
    { identifier, password },
    login.csrf,
    headers,
  );
}

export async function codeStep(t: TestIdp, login: StartedLogin, code: string): Promise<Response> {
  return login.web.submit(`${t.issuer}/interaction/${login.uid}/otp`, { code }, login.csrf);
}

export async function resendStep(t: TestIdp, login: StartedLogin, channel = 'sms'): Promise<Response> {
  return login.web.submit(`${t.issuer}/interaction/${login.uid}/otp/resend`, { channel }, login.csrf);
}

/** Password (right), then waits for the SMS code; returns it. */
export async function toCodeStep(t: TestIdp, login: StartedLogin, p: Person): Promise<string> {
  const mark = t.sms.mark();
  const res = await passwordStep(t, login, p.nationalId, p.password);
  if (res.status !== 303) throw new Error(`password step failed: ${res.status}`);
  return normalizeDigits(await t.sms.code(p.mobile, mark));
}

/** A 6-digit code that is not `code`. */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** From the redirect after the code step to the client's callback, allowing consent on the way. */
export async function toCallback(t: TestIdp, web: WebClient, location: string): Promise<URL> {
  let next = new URL(location, t.issuer).href;
  for (let i = 0; i < 10; i++) {
    if (next.startsWith(TEST_CLIENT.redirect_uri)) return new URL(next);
    if (next.endsWith('/passkey-offer')) {
      next = await skipPasskeyOffer(web, next);
      continue;
    }
    const res = await web.request(next);
    const loc = res.headers.get('location');
    if (res.status === 200 && !next.includes('/interaction/')) {
      // oidc-provider's self-submitting form (ending another account's session first): submit it as a browser would
      const html = await res.text();
      const action = html.match(/<form method="post" action="([^"]+)"/)?.[1];
      if (!action) throw new Error(`stuck at ${next}: ${res.status}`);
      const inputs = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)];
      const posted = await web.request(action.replaceAll('&amp;', '&'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(inputs.map((m) => [m[1] ?? '', m[2] ?? ''])).toString(),
      });
      next = new URL(posted.headers.get('location') ?? '', next).href;
      continue;
    }
    if (res.status === 200 && next.includes('/interaction/')) {
      const html = await res.text();
      const uid = next.match(/\/interaction\/([^/?]+)/)?.[1];
      const consent = await web.submit(
        `${t.issuer}/interaction/${uid}/consent`,
        { decision: 'allow' },
        csrfOf(html),
      );
      next = new URL(consent.headers.get('location') ?? '', t.issuer).href;
      continue;
    }
    if (!loc) throw new Error(`stuck at ${next}: ${res.status}`);
    next = new URL(loc, next).href;
  }
  throw new Error('login did not reach the client');
}

/** Starts a login in English (ui_locales=en) so messages can be read. */
export async function startEnglishLogin(
  t: TestIdp,
  config: oidc.Configuration,
  params: Record<string, string> = {},
  web = new WebClient(t),
): Promise<StartedLogin> {
  await web.request(`${t.issuer}/?lang=en`);
  return startLogin(t, config, params, web);
}

export async function auditRows(t: TestIdp, event?: string): Promise<Record<string, unknown>[]> {
  const q = t.idp.db('audit_events').orderBy('id');
  return event ? q.where({ event }) : q;
}

export async function accountRow(
  t: TestIdp,
  nationalId: string,
): Promise<Record<string, unknown> | undefined> {
  return t.idp.db('accounts').where({ national_id: nationalId }).first();
}

/** The forgot-password journey through the forms: ID and birth date, the SMS code, a new password. */
export async function resetPassword(t: TestIdp, p: Person, newPassword: string): Promise<Response> {
  const web = new WebClient(t);
  const { csrf } = await getForm(web, `${t.issuer}/reset`);
  const mark = t.sms.mark();
  const start = await web.submit(
    `${t.issuer}/reset`,
    { nationalId: p.nationalId, birthDate: p.birthDate },
    csrf,
  );
  if (start.status !== 303) throw new Error(`reset start failed: ${start.status}`);
  const code = await t.sms.code(p.mobile, mark);
  const verified = await web.submit(`${t.issuer}/reset/code`, { code }, csrf);
  if (verified.status !== 303) throw new Error(`reset code failed: ${verified.status}`);
  return web.submit(`${t.issuer}/reset/password`, { password: newPassword }, csrf);
}

/** Signs out at Hawiya itself (the account page's link): /session/end, then "sign me out" of everything. */
export async function signOutAtHawiya(t: TestIdp, web: WebClient): Promise<Response> {
  const page = await (await web.request(`${t.issuer}/session/end`)).text();
  const xsrf = page.match(/name="xsrf" value="([^"]+)"/)?.[1];
  const action = page.match(/id="op.logoutForm" method="post" action="([^"]+)"/)?.[1];
  if (!xsrf || !action) throw new Error('no logout form on /session/end');
  return web.request(new URL(action, t.issuer).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
  });
}
