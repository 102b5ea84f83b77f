import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeLogin,
  exchange,
  registerTestClient,
  rpConfig,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';
import { freshPerson, unescapeHtml } from './journey.js';

// The security page's signed-in devices: each Hawiya session with its device, IP, times and level, and
// "sign out" of one device (that session and its tokens end; the others go on).

const PHONE =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** A browser that says which one it is. */
class Browser extends WebClient {
  constructor(private readonly ua: string) {
    super();
  }
  override request(url: string, init: RequestInit = {}): Promise<Response> {
    return super.request(url, {
      ...init,
      headers: { 'user-agent': this.ua, ...(init.headers as Record<string, string>) },
    });
  }
}

describe('signed-in devices on the security page', () => {
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

  async function silent(web: WebClient) {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: TEST_CLIENT.redirect_uri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 's',
      prompt: 'none',
    });
    const { url: landed } = await web.follow(url.href, (next) => next.startsWith(TEST_CLIENT.redirect_uri));
    return new URL(landed).searchParams;
  }

  it('[checklist 19] lists each device with IP, times and level; signing one out ends that session and its tokens only', async () => {
    const person = await freshPerson(t, { account: true });
    const phone = await startLogin(t, config, {}, new Browser(PHONE));
    await exchange(config, phone, await completeLogin(t, phone, person));
    const laptop = await startLogin(t, config, {}, new Browser(LAPTOP));
    const laptopTokens = await exchange(config, laptop, await completeLogin(t, laptop, person));

    const { res } = await phone.web.follow(`${t.issuer}/account`);
    const page = unescapeHtml(await res.text());
    expect(page).toContain('Chrome · Android');
    expect(page).toContain('Firefox · Linux');
    expect(page).toContain('127.0.0.1');
    expect(page).toContain('هذا الجهاز');
    expect(page.match(/<li class="grant session">/g)).toHaveLength(2);
    // the laptop's item and its own sign-out form
    const items = page.split('<li class="grant session">').slice(1);
    const laptopItem = items.find((item) => item.includes('Firefox · Linux')) ?? '';
    expect(laptopItem).not.toContain('هذا الجهاز');
    expect(laptopItem).toContain('قياسي');
    // Issue 8: its times in the page's digits, the Hijri day beside the Gregorian one (Riyadh time).
    const times = laptopItem.match(/<p class="hint">[\s\S]*?<\/p>/)?.[0] ?? '';
    expect(times).toMatch(/[٠-٩]{4} \([٠-٩]{1,2} [^()]+ ١٤[٠-٩]{2} هـ\)، [٠-٩]{1,2}:[٠-٩]{2}/);
    expect(times.replace(/<span dir="ltr">[^<]*<\/span>/, '')).not.toMatch(/[0-9]/);
    // The events list too.
    const events = page.slice(page.indexOf('id="events"'));
    expect(events).toMatch(/· [٠-٩]{1,2} [^ ]+ [٠-٩]{4} \(/);
    const laptopForm = laptopItem.match(/action="(\/account\/sessions\/[^"]+\/end)"/)?.[1];
    expect(laptopForm).toBeTruthy();

    const ended = await phone.web.submit(`${t.issuer}${laptopForm}`, {}, csrfOf(page));
    expect(ended.headers.get('location')).toBe('/account?done=sessionEnded#sessions');
    expect((await silent(laptop.web)).get('error')).toBe('login_required');
    expect((await silent(phone.web)).get('code')).toBeTruthy();
    // the laptop's access token was bound to its session: it no longer works
    await expect(
      oidc.fetchUserInfo(config, laptopTokens.access_token, String(laptopTokens.claims()?.sub)),
    ).rejects.toThrow();
    const after = unescapeHtml(
      await (await phone.web.request(`${t.issuer}/account?done=sessionEnded`)).text(),
    );
    const left = after.split('<li class="grant session">').slice(1);
    expect(left).toHaveLength(1);
    expect(left[0]).toContain('Chrome · Android');
    expect(after).toContain('أنهينا تلك الجلسة');
  });

  it("another person's session cannot be signed out from this page", async () => {
    const a = await freshPerson(t, { account: true });
    const b = await freshPerson(t, { account: true });
    const aLogin = await startLogin(t, config);
    await exchange(config, aLogin, await completeLogin(t, aLogin, a));
    const bLogin = await startLogin(t, config);
    await exchange(config, bLogin, await completeLogin(t, bLogin, b));
    const bAccount = (await t.idp.db('accounts').where({ national_id: b.nationalId }).first()).id;
    const bSession = await t.idp.db('oidc_payloads').where({ type: 'Session', account_id: bAccount }).first();
    const { res } = await aLogin.web.follow(`${t.issuer}/account`);
    const refused = await aLogin.web.submit(
      `${t.issuer}/account/sessions/${bSession.uid}/end`,
      {},
      csrfOf(await res.text()),
    );
    expect(refused.status).toBe(404);
    expect((await silent(bLogin.web)).get('code')).toBeTruthy();
  });
});
