import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeDigits } from '../../src/registry/index.js';
import {
  demoPerson,
  exchange,
  type Person,
  registerAndActivate,
  registerTestClient,
  rpConfig,
  skipPasskeyOffer,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf } from '../helpers/webClient.js';

describe('switching account in the same browser', () => {
  let t: TestIdp;
  let omar: Person;
  let sarah: Person;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t, { organization_type: 'government', first_party: true });
    omar = await demoPerson(t, '2105739466', 'omar', 'a walk by the old harbour');
    sarah = await demoPerson(t, '1123987453', 'sarah', 'the desert stars at midnight');
    await registerAndActivate(t, omar);
    await registerAndActivate(t, sarah);
    config = await rpConfig(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function signIn(login: Awaited<ReturnType<typeof startLogin>>, p: Person): Promise<URL> {
    const mark = t.sms.mark();
    const pw = await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/login`,
      { identifier: p.nationalId, password: p.password },
      login.csrf,
    );
    expect(pw.status).toBe(303);
    const code = normalizeDigits(await t.sms.code(p.mobile, mark));
    const otp = await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/otp`,
      { code },
      csrfOf(await (await login.web.request(`${t.issuer}/interaction/${login.uid}/otp`)).text()),
    );
    expect(otp.status).toBe(303);
    let next = new URL(otp.headers.get('location') ?? '', t.issuer).href;
    for (let i = 0; i < 10 && !next.startsWith(TEST_CLIENT.redirect_uri); i++) {
      if (next.endsWith('/passkey-offer')) {
        next = await skipPasskeyOffer(login.web, next);
        continue;
      }
      const res = await login.web.request(next);
      const location = res.headers.get('location');
      if (location) {
        next = new URL(location, next).href;
        continue;
      }
      // oidc-provider ends the other person's session with an auto-submitted form: post it as a browser would.
      const html = await res.text();
      const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
      if (!action) throw new Error(`stuck at ${next}: ${res.status} ${html.slice(0, 200)}`);
      const fields = Object.fromEntries(
        [...html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      );
      const posted = await login.web.request(new URL(action.replaceAll('&amp;', '&'), next).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields as Record<string, string>).toString(),
      });
      next = new URL(posted.headers.get('location') ?? '', next).href;
    }
    return new URL(next);
  }

  it('[checklist 16] another person signing in with prompt=login gets their own identity, not the previous one', async () => {
    const first = await startLogin(t, config);
    const omarTokens = await exchange(config, first, await signIn(first, omar));
    const second = await startLogin(t, config, { prompt: 'login' }, first.web);
    const sarahTokens = await exchange(config, second, await signIn(second, sarah));
    expect(sarahTokens.claims()?.sub).not.toBe(omarTokens.claims()?.sub);
    const info = await oidc.fetchUserInfo(
      config,
      sarahTokens.access_token,
      sarahTokens.claims()?.sub as string,
    );
    expect(info.national_id).toBe('1123987453');
  });
});
