import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { pageText } from '../../src/i18n/messages.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { localDigits } from '../../src/shared/localText.js';
import { launchBrowser, passPasskeyOffer } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { codeFromOutbox } from '../helpers/outboxPage.js';
import { expectLabelled, textOf } from '../helpers/pageChecks.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The journey a newcomer takes on `npm start`: register a demo person, activate with the code from the
// dev mailbox, then sign in to the loss-report service (a real openid-client relying party that reads
// userinfo) with password + SMS code, using the keyboard only.

describe('journey: register, activate, sign in to a service', () => {
  let t: TestIdp;
  let services: RunningServices;
  let browser: Browser;
  let lossReportUrl: string;

  beforeAll(async () => {
    const [lossPort, replacementPort] = await Promise.all([freePort(), freePort()]);
    lossReportUrl = `http://127.0.0.1:${lossPort}`;
    t = await startTestIdp({
      outbox: true,
      env: { LOSS_REPORT_URL: lossReportUrl, REPLACEMENT_URL: `http://127.0.0.1:${replacementPort}` },
    });
    services = await startServices(loadConfig(t.env));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await services?.close();
    await t?.close();
  });

  it('registers Noura, activates her with the mailbox code, and signs her in to the loss-report service', async () => {
    const context = await browser.newContext({ locale: 'ar' });
    const page = await context.newPage();

    await page.goto(`${t.issuer}/register`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await expectLabelled(page);
    await page.fill('#nationalId', '1045238712');
    await page.fill('#birthDate', '1992-11-02');
    await page.fill('#username', 'noura');
    await page.fill('#password', 'قهوة الصباح مع المطر');
    await page.click('form[action="/register"] button[type=submit]');
    await page.waitForURL(/\/register\/activate$/);
    // the registry's mobile, named without digits (the same page whatever the registry says)
    expect(await textOf(page, 'main')).toContain(pageText('ar', 'activate.sent'));
    expect(await textOf(page, 'main')).not.toContain(localDigits('ar', '05******21'));

    const activation = await codeFromOutbox(context, t.issuer, '0557654321');
    await page.fill('#code', activation);
    await page.press('#code', 'Enter');
    await page.waitForURL(/\/register\/done/);
    expect((await textOf(page, 'h1')).trim()).toBe('تم تفعيل حسابك');

    // The service sends the person to Hawiya; the login form is driven with the keyboard alone.
    await page.goto(lossReportUrl);
    await page.click('a[href="/login"]');
    await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
    await expectLabelled(page);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('identifier');
    await page.keyboard.type('1045238712');
    await page.keyboard.press('Tab');
    await page.keyboard.type('قهوة الصباح مع المطر');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/otp$/);
    expect(await textOf(page, 'main')).toContain(localDigits('ar', '05******21'));

    const login = await codeFromOutbox(context, t.issuer, '0557654321', [activation]);
    await page.keyboard.type(login);
    await page.keyboard.press('Enter');

    // Her first password + SMS login: the offer to add a passkey, once, skippable with the keyboard.
    await page.waitForURL(/\/passkey-offer$/);
    expect((await textOf(page, 'h1')).trim()).toBe('ادخل أسرع وأأمن في المرة القادمة');
    await expectLabelled(page);
    await page.focus('#offer-skip');
    await page.keyboard.press('Enter');

    // First-party government service: no consent page; back at the service, which read userinfo.
    await page.waitForURL(`${lossReportUrl}/`);
    expect(await textOf(page, 'main')).toContain('نورة');
    expect(await textOf(page, 'main')).toContain(localDigits('ar', '1******712'));

    // Her account page (signed in by the same Hawiya session) lists the service, and she can withdraw it.
    await page.goto(`${t.issuer}/account`);
    await page.waitForURL(`${t.issuer}/account`);
    await expectLabelled(page);
    expect(await textOf(page, 'main')).toContain('الإبلاغ عن فقد وثيقة');
    await page.click('form[action$="/revoke"] button[type=submit]');
    await page.waitForURL(/\/account\?revoked=1$/);
    expect(await textOf(page, '[role=status]')).toContain('سحبنا موافقتك');
    // What the service received stays on record; it may ask for nothing more.
    expect(await page.locator('form[action$="/revoke"]').count()).toBe(0);
    expect(await textOf(page, 'main')).toContain('سحبت موافقتك');
    await context.close();
  });

  it('speaks English when the service asks for it (ui_locales) and signs out through Hawiya', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${lossReportUrl}/?lang=en`);
    await page.click('a[href="/login"]');
    await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    expect((await textOf(page, 'h1')).trim()).toBe('Sign in');
    await page.fill('#identifier', 'noura');
    await page.fill('#password', 'wrong password entirely');
    await page.click('form[action$="/login"] button[type=submit]');
    expect(await textOf(page, '[role=alert]')).toContain('not correct');
    await page.fill('#password', 'قهوة الصباح مع المطر');
    await page.click('form[action$="/login"] button[type=submit]');
    await page.waitForURL(/\/otp$/);
    const code = await codeFromOutbox(context, t.issuer, '0557654321');
    await page.fill('#code', code);
    await page.click('form[action$="/otp"] button[type=submit]');
    await passPasskeyOffer(page, `${lossReportUrl}/`);
    expect(await textOf(page, 'main')).toContain('Noura');

    // Sign out: the service sends the person to Hawiya's end-session page, which asks to confirm.
    await page.click('form[action="/logout"] button[type=submit]');
    await page.waitForURL(new RegExp(`^${t.issuer}/session/end`));
    await page.click('button[name=logout][value=yes]');
    await page.waitForURL(new RegExp(`^${lossReportUrl}/`));
    await page.locator('a[href="/login"]').waitFor({ state: 'visible' });

    // The Hawiya session is gone: signing in again asks for the password.
    await page.click('a[href="/login"]');
    await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
    await page.locator('#password').waitFor({ state: 'visible' });
    await context.close();
  });
});
