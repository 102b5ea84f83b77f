import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLogin, exchange, idpWithPerson, type Person, startLogin } from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';

describe('the account page', () => {
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;

  beforeAll(async () => {
    ({ t, person, config } = await idpWithPerson());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 36] lists the services allowed, withdraws one, and its tokens stop working', async () => {
    const login = await startLogin(t, config, { scope: 'openid profile offline_access', prompt: 'consent' });
    const tokens = await exchange(config, login, await completeLogin(t, login, person));
    expect(tokens.refresh_token).toBeTruthy();

    // The account pages are a relying party of Hawiya too: the IdP session signs the person in.
    const { res, url } = await login.web.follow(`${t.issuer}/account`);
    expect(url).toBe(`${t.issuer}/account`);
    const page = await res.text();
    expect(page).toContain('خدمة تجريبية');
    expect(page).toContain('الاسم بالعربية والإنجليزية');

    const action = page.match(/action="(\/account\/grants\/[^"]+\/revoke)"/)?.[1];
    expect(action).toBeTruthy();
    const revoked = await login.web.submit(`${t.issuer}${action}`, {}, csrfOf(page));
    expect(revoked.status).toBe(303);
    const after = await (await login.web.request(`${t.issuer}/account?revoked=1`)).text();
    // What it received stays on record; it may ask for nothing more.
    expect(after).not.toContain(String(action));
    expect(after).toContain('سحبت موافقتك');
    expect(await t.idp.db('audit_events').where({ event: 'consent_revoked' })).toHaveLength(1);

    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(
      oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub as string),
    ).rejects.toBeTruthy();
  });

  it('[checklist 5] [checklist 21] changing the password needs the current one, ends every session and sends a notice', async () => {
    const login = await startLogin(t, config, { scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await exchange(config, login, await completeLogin(t, login, person));
    const { res } = await login.web.follow(`${t.issuer}/account`);
    const csrf = csrfOf(await res.text());

    const wrong = await login.web.submit(
      `${t.issuer}/account/password`,
      { current: 'not my password', password: 'a brand new passphrase here' },
      csrf,
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('كلمة المرور الحالية غير صحيحة');
    const weak = await login.web.submit(
      `${t.issuer}/account/password`,
      { current: person.password, password: 'password1' },
      csrf,
    );
    expect(weak.status).toBe(400);

    const mailMark = t.smtp.mark();
    const next = 'غيوم فوق جبال السروات';
    const ok = await login.web.submit(
      `${t.issuer}/account/password`,
      { current: person.password, password: next },
      csrf,
    );
    expect(ok.status).toBe(303);
    await expect
      .poll(() => t.smtp.messages.slice(mailMark).map((m) => m.to))
      .toEqual(['mohammed.alotaibi@example.com']);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    person = { ...person, password: next };
    const again = await startLogin(t, config);
    expect((await exchange(config, again, await completeLogin(t, again, person))).access_token).toBeTruthy();
  });

  it('another person cannot withdraw a grant that is not theirs, and strangers are sent to sign in', async () => {
    const stranger = new WebClient();
    const first = await stranger.request(`${t.issuer}/account`);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/account/login');
    const grant = await t.idp.db('oidc_payloads').where({ type: 'Grant' }).first('id');
    const form = await stranger.request(`${t.issuer}/register`);
    const forged = await stranger.submit(
      `${t.issuer}/account/grants/${grant?.id ?? 'x'}/revoke`,
      {},
      csrfOf(await form.text()),
    );
    expect(forged.status).toBe(400);
    if (grant)
      expect(await t.idp.db('oidc_payloads').where({ type: 'Grant', id: grant.id }).first()).toBeTruthy();
  });
});
