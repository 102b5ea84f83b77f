import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText } from '../../src/i18n/messages.js';
import { freshPerson } from '../accounts/journey.js';
import { launchBrowser, passPasskeyOffer } from '../helpers/browser.js';
import { registerTestClient, rpConfig } from '../helpers/oidcLogin.js';
import { checkContextOptions, screenAndAxe } from '../helpers/pageChecks.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The passkey pages in the portal's page check: the account page with a passkey, the passkey step after a
// password, and the code page offering the passkey again, in Arabic and English at 1280x800 and 390x844: screenshots under
// test-results/screens and zero axe-core violations. The DevTools virtual authenticator stands in for a
// phone's fingerprint; WebAuthn needs a host name, so Hawiya runs on localhost here.

const CALLBACK = 'http://127.0.0.1:4173/cb';
const COMBOS = [
  { locale: 'ar', width: 1280, height: 800 },
  { locale: 'en', width: 1280, height: 800 },
  { locale: 'ar', width: 390, height: 844 },
  { locale: 'en', width: 390, height: 844 },
] as const;

describe('the portal: passkey pages, both languages, desktop and phone', () => {
  let t: TestIdp;
  let browser: Browser;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestIdp({ issuerHost: 'localhost' });
    await registerTestClient(t, {
      organization_type: 'government',
      first_party: true,
      redirect_uris: [CALLBACK],
    });
    config = await rpConfig(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const c of COMBOS) {
    it(`${c.locale} ${c.width}x${c.height}: account page with a passkey, the code page's offer, the passkey step`, async () => {
      const person = await freshPerson(t, { account: true });
      const context = await browser.newContext(checkContextOptions(c));
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      const found: string[] = [];
      const check = async (name: string) => {
        await page.waitForLoadState('load');
        expect(await page.getAttribute('html', 'lang'), name).toBe(c.locale);
        found.push(...(await screenAndAxe(page, `${name}-${c.locale}-${c.width}`)));
      };
      const passwordAndCode = async () => {
        const mark = t.sms.mark();
        await page.fill('#identifier', person.nationalId);
        await page.fill('#password', person.password);
        await page.click('form[action$="/login"] button[type=submit]');
        await page.waitForURL(/\/(otp|passkey)$/);
        return mark;
      };

      // enrol on the account page (right after a password + SMS sign-in)
      await page.goto(`${t.issuer}/account?lang=${c.locale}`);
      await page.waitForURL(/\/interaction\//);
      const mark = await passwordAndCode();
      await page.fill('#code', await t.sms.code(person.mobile, mark));
      await page.click('form[action$="/otp"] button[type=submit]');
      await passPasskeyOffer(page, `${t.issuer}/account`);
      await page.fill('#passkey-name', c.locale === 'ar' ? 'هاتفي' : 'My phone');
      await page.click('#passkey-add button[type=submit]');
      await page.waitForURL(/\/account\?done=passkeyAdded$/);
      expect(await page.locator('li.passkey').count()).toBe(1);
      await check('account-passkeys');

      // signed out, a service's sign-in: the code page offers the passkey, whose step signs in
      await page.goto(`${t.issuer}/session/end`);
      await page.click('button[name=logout][value=yes]');
      await page.waitForLoadState();
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: oidc.randomState(),
        ui_locales: c.locale,
      });
      // no touch of the sensor for now: the ID field's passkey autofill would sign in before the password
      const presence = (enabled: boolean) =>
        cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled });
      await presence(false);
      await page.goto(url.href);
      await page.waitForURL(/\/interaction\//);
      // after the password, the passkey step comes first; a code instead, whose page offers the passkey again
      await passwordAndCode();
      expect(page.url()).toMatch(/\/passkey$/);
      await check('passkey-step');
      await page.click('form[action$="/otp/resend"] button');
      await page.locator('form[action$="/otp"]').waitFor();
      const offer = page.locator(`a:text("${pageText(c.locale, 'otp.usePasskey')}")`);
      expect(await offer.count()).toBe(1);
      // someone who has a passkey is not told to add one
      expect(await page.textContent('main')).not.toContain(pageText(c.locale, 'otp.smsNote'));
      await check('otp-passkey-offer');
      await offer.click();
      await page.waitForURL(/\/passkey$/);
      await presence(true);
      const back = page.waitForRequest((r) => r.url().startsWith(CALLBACK), { timeout: 15_000 });
      await page.click('#passkey-button');
      expect(new URL((await back).url()).searchParams.get('code')).toBeTruthy();

      expect(found).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
