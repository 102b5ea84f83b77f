import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { freshPerson } from '../accounts/journey.js';
import { launchBrowser, passPasskeyOffer } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { checkContextOptions, screenAndAxe } from '../helpers/pageChecks.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The replacement service's pages and the authenticator-app and recovery-code pages in the portal's page
// check (as portalPages.test.ts): Arabic and English at 1280x800 and 390x844, a full-page screenshot under
// test-results/screens and zero axe-core violations each. A fresh person reports the ID card lost, requests
// its replacement, books (a refused time first), cancels; then adds an authenticator app on the account
// page and signs in again with it and with a recovery code.

const COMBOS = [
  { locale: 'ar', width: 1280, height: 800 },
  { locale: 'en', width: 1280, height: 800 },
  { locale: 'ar', width: 390, height: 844 },
  { locale: 'en', width: 390, height: 844 },
] as const;

describe('the portal: replacement, authenticator-app and recovery-code pages, both languages, desktop and phone', () => {
  let t: TestIdp;
  let services: RunningServices;
  let browser: Browser;
  let lossUrl: string;
  let replacementUrl: string;

  beforeAll(async () => {
    const [lossPort, replacementPort] = await Promise.all([freePort(), freePort()]);
    lossUrl = `http://127.0.0.1:${lossPort}`;
    replacementUrl = `http://127.0.0.1:${replacementPort}`;
    t = await startTestIdp({ env: { LOSS_REPORT_URL: lossUrl, REPLACEMENT_URL: replacementUrl } });
    services = await startServices(loadConfig(t.env), { background: false });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await services?.close();
    await t?.close();
  });

  for (const c of COMBOS) {
    it(`${c.locale} ${c.width}x${c.height}: screenshots and zero axe violations`, async () => {
      const person = await freshPerson(t, { account: true });
      const context = await browser.newContext(checkContextOptions(c));
      const page = await context.newPage();
      const found: string[] = [];
      const check = async (name: string) => {
        await page.waitForLoadState('load');
        expect(await page.getAttribute('html', 'lang'), name).toBe(c.locale);
        found.push(...(await screenAndAxe(page, `${name}-${c.locale}-${c.width}`)));
      };
      /** Password, then the SMS code or (with `second`) another second step, at Hawiya's login page. */
      const password = async (p: Page) => {
        await p.fill('#identifier', person.nationalId);
        await p.fill('#password', person.password);
        await p.click('form[action$="/login"] button[type=submit]');
      };

      // the replacement service, signed in, with no reported document
      await page.goto(`${replacementUrl}/?lang=${c.locale}`);
      await page.click('a[href="/login"]');
      await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
      const mark = t.sms.mark();
      await password(page);
      await page.waitForURL(/\/otp$/);
      await page.fill('#code', await t.sms.code(person.mobile, mark));
      await page.click('form[action$="/otp"] button[type=submit]');
      await passPasskeyOffer(page, `${replacementUrl}/`);
      await check('replacement-none');

      // the ID card reported lost at the other service (signed in there by the same Hawiya session)
      await page.goto(`${lossUrl}/login`);
      await page.waitForURL(`${lossUrl}/`);
      await page.goto(`${lossUrl}/reports/new/details?documentType=national_id_card`);
      await page.click('form[action="/reports/new/details"] button[type=submit]');
      await page.click('button[name=answer][value=yes]');
      await page.waitForURL(/\/reports\/LR\d{10}\?created=1$/);

      await page.goto(replacementUrl);
      await page.locator('ul.reported').waitFor();
      await check('replacement-reported');
      await page.click('form[action="/requests"] button[type=submit]');
      await page.waitForURL(/\/requests\/RQ\d{10}\/book$/);
      await check('replacement-book');
      // a time that has passed: refused with the reason, the times shown again
      await page
        .locator('input[name=startsAt]')
        .first()
        .evaluate((el) => {
          (el as HTMLInputElement).value = String(Date.now() - 86_400_000);
        });
      await page.click('form[action$="/book"][method=post] button[type=submit]');
      await page.locator('#form-errors').waitFor();
      await check('replacement-book-error');
      await page.click('form[action$="/book"][method=post] button[type=submit]');
      await page.waitForURL(/\/requests\/RQ\d{10}\?booked=1$/);
      await check('replacement-request-booked');
      await page.click('form[action$="/cancel"] button[type=submit]');
      await page.waitForURL(/\/requests\/RQ\d{10}\?cancelled=1$/);
      await check('replacement-request-cancelled');
      await page.goto(replacementUrl);
      await check('replacement-home-requests');

      // the authenticator app on the account page (right after a sign-in): setup, a wrong code, the codes
      await page.goto(`${t.issuer}/account`);
      await page.waitForURL(`${t.issuer}/account`);
      await page.click('a[href="/account/app"]');
      await page.waitForURL(`${t.issuer}/account/app`);
      await check('account-app-setup');
      await page.fill('#code', '000000');
      await page.click('form[action="/account/app"] button[type=submit]');
      await page.locator('#error-summary').waitFor();
      await check('account-app-error');
      // the message also beside its field (as on every form of the portal)
      expect(await page.getAttribute('#code', 'aria-invalid')).toBe('true');
      expect(await page.getAttribute('#code', 'aria-describedby')).toBe('code-error');
      const secret = ((await page.textContent('code[aria-labelledby=secret-label]')) ?? '').replace(
        /\s/g,
        '',
      );
      await page.fill('#code', await generate({ secret }));
      await page.click('form[action="/account/app"] button[type=submit]');
      await page.locator('li code').first().waitFor();
      await check('recovery-codes');
      const recovery = ((await page.locator('li code').first().textContent()) ?? '').trim();

      // signed out, a new sign-in asks for the app's code; a recovery code stands in for it
      await page.goto(replacementUrl);
      await page.click('form[action="/logout"] button[type=submit]');
      await page.click('button[name=logout][value=yes]');
      await page.waitForURL(new RegExp(`^${replacementUrl}/`));
      await page.click('a[href="/login"]');
      await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
      await password(page);
      await page.waitForURL(/\/app$/);
      await check('app-code');
      await page.click('a[href$="/recovery"]');
      await page.waitForURL(/\/recovery$/);
      await check('recovery-code');
      await page.fill('#code', 'AAAA-BBBB-CCCC');
      await page.click('form[action$="/recovery"] button[type=submit]');
      await page.locator('#error-summary').waitFor();
      await check('recovery-code-error');
      expect(await page.getAttribute('#code', 'aria-invalid')).toBe('true');
      await page.fill('#code', recovery);
      await page.click('form[action$="/recovery"] button[type=submit]');
      await passPasskeyOffer(page, `${replacementUrl}/`);

      expect(found).toEqual([]);
      await context.close();
    }, 180_000);
  }
});
