import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTestClient, rpConfig, startLogin } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { WebClient } from '../helpers/webClient.js';

describe('[checklist 5] password fields', () => {
  let t: TestIdp;
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t);
    const web = new WebClient(t);
    pages.register = await (await web.request(`${t.issuer}/register`)).text();
    const login = await startLogin(t, await rpConfig(t));
    pages.login = await (await login.web.request(`${t.issuer}/interaction/${login.uid}`)).text();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('let password managers and paste work: no paste blocking, no autocomplete=off, the right autocomplete hint', () => {
    expect(pages.register).toMatch(/<input id="password"[^>]*autocomplete="new-password"/);
    expect(pages.login).toMatch(/<input id="password"[^>]*autocomplete="current-password"/);
    for (const html of Object.values(pages)) {
      expect(html).not.toMatch(
        /onpaste|oncopy|autocomplete="off"[^>]*type="password"|type="password"[^>]*autocomplete="off"/i,
      );
    }
  });

  it('ask for no password hint, security question or composition rule', () => {
    for (const html of Object.values(pages)) {
      expect(html).not.toMatch(/name="[^"]*(hint|question|answer)[^"]*"/i);
      expect(html).not.toMatch(/<input[^>]*type="password"[^>]*pattern=/i);
    }
    // The only guidance given is length: no "must contain an upper-case letter, a digit, a symbol".
    expect(pages.register).not.toMatch(/upper|lower-case|symbol|special character|رمز خاص|حرف كبير/i);
  });

  it('do not cut the password short: the fields accept far more than 64 characters', () => {
    for (const html of [pages.register, pages.login]) {
      const max = Number(html?.match(/<input id="password"[^>]*maxlength="(\d+)"/)?.[1] ?? '0');
      expect(max).toBeGreaterThanOrEqual(256);
    }
  });
});
