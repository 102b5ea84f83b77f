import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { pageText } from '../../src/i18n/messages.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { localDigits } from '../../src/shared/localText.js';
import { launchBrowser, passPasskeyOffer } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { codeFromOutbox, outboxMessages } from '../helpers/outboxPage.js';
import { checkContextOptions, screenAndAxe } from '../helpers/pageChecks.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// Every page of Hawiya and of both services, in Arabic and English, on a desktop (1280x800) and a phone
// (390x844): a full-page screenshot saved under test-results/screens/ and axe-core (WCAG 2.2 A/AA, contrast
// included) with zero violations. Each size and language registers its own demo person and walks the whole
// journey: home, footer pages, registration (with every error at once), activation, reset, a service's
// sign-in, the code page, the loss-report pages, the account page, protocol errors, sign-out.

const COMBOS = [
  {
    locale: 'ar',
    width: 1280,
    height: 800,
    id: '1000000008',
    typedId: '1000 0000 08',
    birth: '1405-06-22',
    mobile: '0551234512',
    user: 'mohammed',
  },
  {
    locale: 'en',
    width: 1280,
    height: 800,
    id: '2105739466',
    typedId: '2105-739-466',
    birth: '1979-06-21',
    mobile: '0569876543',
    user: 'omar',
  },
  {
    locale: 'ar',
    width: 390,
    height: 844,
    id: '1123987453',
    typedId: '1123987453',
    birth: '2001-07-30',
    mobile: '0534567890',
    user: 'sarah',
  },
  {
    locale: 'en',
    width: 390,
    height: 844,
    id: '1045238712',
    typedId: '1045238712',
    birth: '1992-11-02',
    mobile: '0557654321',
    user: 'noura',
  },
] as const;
const PASSWORD = 'قهوة الصباح مع المطر';

describe('the portal: every page, both languages, desktop and phone', () => {
  let t: TestIdp;
  let services: RunningServices;
  let browser: Browser;
  let lossUrl: string;
  let replacementUrl: string;

  beforeAll(async () => {
    const [lossPort, replacementPort] = await Promise.all([freePort(), freePort()]);
    lossUrl = `http://127.0.0.1:${lossPort}`;
    replacementUrl = `http://127.0.0.1:${replacementPort}`;
    t = await startTestIdp({
      outbox: true,
      env: { LOSS_REPORT_URL: lossUrl, REPLACEMENT_URL: replacementUrl },
    });
    services = await startServices(loadConfig(t.env));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await services?.close();
    await t?.close();
  });

  for (const c of COMBOS) {
    it(`${c.locale} ${c.width}x${c.height}: screenshots of every page and zero axe violations`, async () => {
      const context = await browser.newContext(checkContextOptions(c));
      const page = await context.newPage();
      const found: string[] = [];
      const check = async (name: string) => {
        await page.waitForLoadState('load');
        expect(await page.getAttribute('html', 'lang'), name).toBe(c.locale);
        found.push(...(await screenAndAxe(page, `${name}-${c.locale}-${c.width}`)));
      };

      await page.goto(`${t.issuer}/?lang=${c.locale}`);
      await check('home');
      for (const info of ['help', 'privacy', 'accessibility', 'contact']) {
        await page.goto(`${t.issuer}/${info}`);
        await check(info);
      }
      await page.goto(`${t.issuer}/no-such-page`);
      await check('not-found');

      await page.goto(`${t.issuer}/register`);
      await check('register');
      await page.click('form[action="/register"] button[type=submit]');
      await page.locator('#error-summary').waitFor();
      await check('register-errors');
      // the ID as pasted from a card (spaces, dashes) is cleaned; a Hijri birth date is converted
      await page.fill('#nationalId', c.typedId);
      await page.fill('#birthDate', c.birth);
      await page.fill('#username', c.user);
      await page.fill('#password', PASSWORD);
      await page.click('form[action="/register"] button[type=submit]');
      await page.waitForURL(/\/register\/activate$/);
      await check('activate');
      await page.fill('#code', '000000');
      await page.click('form[action="/register/activate"] button[type=submit]');
      await page.locator('#error-summary').waitFor();
      await check('activate-error');
      await page.fill('#code', await codeFromOutbox(context, t.issuer, c.mobile));
      await page.click('form[action="/register/activate"] button[type=submit]');
      await page.waitForURL(/\/register\/done/);
      await check('registered');

      await page.goto(`${t.issuer}/reset`);
      await check('reset');
      await page.goto(`${t.issuer}/dev/outbox`);
      await check('outbox');
      await page.goto(`${t.issuer}/auth?client_id=loss-report&response_type=code`);
      await check('oauth-error');

      await page.goto(`${replacementUrl}/?lang=${c.locale}`);
      await check('replacement-home');
      await page.goto(`${lossUrl}/?lang=${c.locale}`);
      await check('service-home');
      await page.click('a[href="/login"]');
      await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
      await check('login');
      await page.fill('#identifier', c.user);
      await page.fill('#password', 'not my password at all');
      await page.click('form[action$="/login"] button[type=submit]');
      await page.locator('#error-summary').waitFor();
      await check('login-error');
      await page.fill('#password', PASSWORD);
      await page.click('form[action$="/login"] button[type=submit]');
      await page.waitForURL(/\/otp$/);
      await check('otp');
      await page.fill('#code', await codeFromOutbox(context, t.issuer, c.mobile));
      await page.click('form[action$="/otp"] button[type=submit]');
      await passPasskeyOffer(page, `${lossUrl}/`);
      await check('service-signed-in');

      // the loss-report pages: pick, details (and their errors), confirm, the report, the list
      await page.click('a[href="/reports/new"]');
      await check('loss-pick');
      await page.click('form[action="/reports/new/details"] button[type=submit]');
      await page.waitForURL(/\/reports\/new\/details\?/);
      await check('loss-details');
      await page.fill('#holderNationalId', '12345');
      await page.click('form[action="/reports/new/details"] button[type=submit]');
      await page.locator('#error-summary').waitFor();
      await check('loss-details-errors');
      await page.fill('#holderNationalId', c.id);
      await page.click('form[action="/reports/new/details"] button[type=submit]');
      await page.waitForSelector('form[action="/reports/new/confirm"]');
      await check('loss-confirm');
      await page.click('button[name=answer][value=yes]');
      await page.waitForURL(/\/reports\/LR\d{10}\?created=1$/);
      await check('loss-report');
      await page.goto(lossUrl);
      await page.locator('table').waitFor();
      await check('loss-home-reports');

      await page.goto(`${t.issuer}/account`);
      await page.waitForURL(`${t.issuer}/account`);
      await check('account');

      await page.goto(lossUrl);
      await page.click('form[action="/logout"] button[type=submit]');
      await page.waitForURL(new RegExp(`^${t.issuer}/session/end`));
      await check('logout');
      await page.click('button[name=logout][value=yes]');
      await page.waitForURL(new RegExp(`^${lossUrl}/`));
      await page.locator('a[href="/login"]').waitFor();
      await check('service-signed-out');
      expect(await page.locator('main [role=status]').textContent()).toContain(
        c.locale === 'ar' ? 'تم تسجيل خروجك' : 'You have signed out',
      );

      expect(found).toEqual([]);
      await context.close();
    }, 180_000);
  }

  it('every error at once: the summary has focus and links to each field, each message sits beside its field', async () => {
    const context = await browser.newContext(checkContextOptions({ locale: 'en', width: 1280, height: 800 }));
    const page = await context.newPage();
    await page.goto(`${t.issuer}/register?lang=en`);
    await page.fill('#nationalId', '12345');
    await page.fill('#birthDate', '1990-02-30');
    await page.fill('#username', 'x');
    await page.fill('#password', 'short');
    await page.fill('#email', 'not-an-email');
    await page.click('form[action="/register"] button[type=submit]');
    await page.locator('#error-summary').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    const links = await page
      .locator('#error-summary a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['#nationalId', '#birthDate', '#username', '#password', '#email']);
    for (const field of ['nationalId', 'birthDate', 'username', 'password', 'email']) {
      expect(await page.getAttribute(`#${field}`, 'aria-invalid')).toBe('true');
      expect(await page.getAttribute(`#${field}`, 'aria-describedby')).toContain(`${field}-error`);
      expect(await page.locator(`#${field}-error`).textContent()).not.toBe('');
    }
    // what was typed is kept, never the password
    expect(await page.inputValue('#nationalId')).toBe('12345');
    expect(await page.inputValue('#email')).toBe('not-an-email');
    expect(await page.inputValue('#password')).toBe('');
    await page.click('#error-summary a[href="#username"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('username');
    await context.close();
  });

  it('switching the language keeps what was typed (not the password)', async () => {
    const context = await browser.newContext(checkContextOptions({ locale: 'ar', width: 1280, height: 800 }));
    const page = await context.newPage();
    await page.goto(`${t.issuer}/register?lang=ar`);
    await page.fill('#nationalId', '1045 238 712');
    await page.fill('#birthDate', '1413-05-07');
    await page.check('#birthCalendar-islamic');
    await page.fill('#username', 'kept-name');
    await page.fill('#password', 'a secret phrase');
    await page.click('a.lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.textContent('h1')).toBe('Create an account');
    expect(await page.inputValue('#nationalId')).toBe('1045 238 712');
    expect(await page.inputValue('#birthDate')).toBe('1413-05-07');
    expect(await page.isChecked('#birthCalendar-islamic')).toBe(true);
    expect(await page.inputValue('#username')).toBe('kept-name');
    expect(await page.inputValue('#password')).toBe('');
    expect(await page.locator('#error-summary').count()).toBe(0);
    await context.close();
  });

  it("the masked mobile keeps its order in an Arabic sentence, and wrong codes count down in the language's plural forms", async () => {
    const context = await browser.newContext(checkContextOptions({ locale: 'ar', width: 1280, height: 800 }));
    const page = await context.newPage();
    await page.goto(`${lossUrl}/?lang=ar`);
    await page.click('a[href="/login"]');
    await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
    await page.fill('#identifier', '1000000008');
    await page.fill('#password', PASSWORD);
    await page.click('form[action$="/login"] button[type=submit]');
    await page.waitForURL(/\/otp$/);
    const masked = page.locator('main p bdo[dir=ltr]').first();
    expect(await masked.textContent()).toBe(localDigits('ar', '05******12'));
    // drawn left to right: the "05" run is left of the "12" run on the screen
    const [first, last] = await masked.evaluate((el) => {
      const text = el.firstChild as Text;
      const rect = (from: number, to: number) => {
        const r = document.createRange();
        r.setStart(text, from);
        r.setEnd(text, to);
        return r.getBoundingClientRect().left;
      };
      const n = text.length;
      return [rect(0, 2), rect(n - 2, n)];
    });
    expect(first).toBeLessThan(last);

    const remaining = async (n: number) => {
      await page.fill('#code', '000000');
      await page.click('form[action$="/otp"] button[type=submit]');
      await page.locator('#error-summary').waitFor();
      expect(await page.locator('#error-summary').textContent()).toContain(
        pageText('ar', 'code_invalid', { remaining: n }),
      );
    };
    await remaining(4);
    expect(pageText('ar', 'code_invalid', { remaining: 4 })).toContain('تبقّت لك ٤ محاولات');
    await remaining(3);
    // the other forms, as the same page would word them
    expect(pageText('ar', 'code_invalid', { remaining: 2 })).toContain('تبقّت لك محاولتان');
    expect(pageText('ar', 'code_invalid', { remaining: 1 })).toContain('تبقّت لك محاولة واحدة');
    expect(pageText('en', 'code_invalid', { remaining: 1 })).toContain('1 try left');
    await context.close();
  });

  it('the language picked at a service is carried to Hawiya (ui_locales) and remembered there', async () => {
    const context = await browser.newContext(checkContextOptions({ locale: 'ar', width: 1280, height: 800 }));
    const page = await context.newPage();
    await page.goto(`${lossUrl}/?lang=en`);
    await page.click('a[href="/login"]');
    await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(`${t.issuer}/help`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await context.close();
  });

  it('the language picked at Hawiya is carried back to the service (the locale claim) and remembered there', async () => {
    const context = await browser.newContext(checkContextOptions({ locale: 'ar', width: 1280, height: 800 }));
    const page = await context.newPage();
    const noura = COMBOS[3];
    const used = (await outboxMessages(context, t.issuer)).map((m) => m.text.match(/\b\d{6}\b/)?.[0] ?? '');
    await page.goto(`${lossUrl}/?lang=ar`);
    await page.click('a[href="/login"]');
    await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    await page.click('a.lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.fill('#identifier', noura.user);
    await page.fill('#password', PASSWORD);
    await page.click('form[action$="/login"] button[type=submit]');
    await page.waitForURL(/\/otp$/);
    await page.fill('#code', await codeFromOutbox(context, t.issuer, noura.mobile, used));
    await page.click('form[action$="/otp"] button[type=submit]');
    await page.waitForURL(`${lossUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toContain('Welcome');
    await page.goto(`${lossUrl}/reports/new`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await context.close();
  });
});
