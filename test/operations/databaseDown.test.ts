import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeLogin,
  demoPerson,
  exchange,
  idpWithPerson,
  type Person,
  startLogin,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';

// PostgreSQL reached through a loopback TCP proxy the test stops and starts again: while it is stopped the
// database is down for the IdP (refused connections, cut pooled ones). The process must stay up, answer
// 503 in the person's language (pages) or as OAuth errors (JSON), write nothing, and serve again by itself.
describe('the database goes away and comes back (PostgreSQL)', () => {
  let proxy: TcpProxy;
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;

  beforeAll(async () => {
    proxy = await startTcpProxy(5432);
    ({ t, person, config } = await idpWithPerson({
      idp: {
        engine: 'pg',
        inProcess: true,
        databaseUrl: (url) => url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`),
      },
    }));
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await t?.close();
    await proxy.stop();
  });

  const ready = async () => {
    const res = await t.fetch(`${t.issuer}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; reasons?: string[] } };
  };

  it('answers 503 while it is down (pages in the person language, OAuth errors), then serves again by itself', async () => {
    expect(await ready()).toEqual({ status: 200, body: { status: 'ready' } });
    const login = await startLogin(t, config);
    const stranger = new WebClient(t);
    const registerCsrf = csrfOf(await (await stranger.request(`${t.issuer}/register`)).text());
    const nid = '1045238712';
    const noura = await demoPerson(t, nid, 'noura', 'قمر فوق جبال السروات');

    await proxy.stop();

    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.reasons?.join(' ')).toMatch(/database unreachable/);
    expect((await t.fetch(`${t.issuer}/healthz`)).status).toBe(200);

    // A page of Hawiya's (the password step of a login in progress): 503, in the person's language.
    const pw = await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/login`,
      { identifier: person.nationalId, password: person.password },
      login.csrf,
      { 'accept-language': 'en' },
    );
    expect(pw.status).toBe(503);
    expect(pw.headers.get('retry-after')).toBe('5');
    expect(await pw.text()).toContain('temporarily unavailable');

    // The registration form, in Arabic (the default): nothing is written.
    const reg = await stranger.submit(
      `${t.issuer}/register`,
      { nationalId: nid, birthDate: noura.birthDate, username: 'noura', password: noura.password },
      registerCsrf,
    );
    expect(reg.status).toBe(503);
    expect(await reg.text()).toContain('الخدمة غير متاحة مؤقتاً');

    // The authorization endpoint cannot even look the client up: a 503 page, not a redirect.
    const auth = await t.fetch(`${login.authUrl.href}&ui_locales=en`);
    expect(auth.status).toBe(503);
    expect(await auth.text()).toContain('temporarily unavailable');

    // The token endpoint: JSON, server_error (RFC 6749 defines nothing better), 503 and Retry-After.
    const token = await t.fetch(`${t.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('test-rp:test-rp-secret-0123456789abcdefghijklmnop').toString('base64')}`,
      },
      body: 'grant_type=authorization_code&code=x&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&code_verifier=x',
    });
    expect(token.status).toBe(503);
    expect(token.headers.get('retry-after')).toBe('5');
    expect(await token.json()).toMatchObject({ error: 'server_error' });

    await proxy.start();
    // Recovery needs no restart: the pool connects again at the next request.
    let back = await ready();
    for (let i = 0; i < 40 && back.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      back = await ready();
    }
    expect(back).toEqual({ status: 200, body: { status: 'ready' } });

    // Nothing of the refused registration was written.
    expect(await t.idp.db('accounts').where({ national_id: nid }).first()).toBeUndefined();
    // The login started before the outage finishes now, tokens and all.
    const callback = await completeLogin(t, login, person);
    const tokens = await exchange(config, login, callback);
    expect(tokens.claims()?.sub).toBeTruthy();
  });
});
