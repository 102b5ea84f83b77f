import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { normalizeDigits } from '../../src/shared/nationalId.js';
import { launchBrowser, passPasskeyOffer } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { codeFromOutbox, outboxMessages } from '../helpers/outboxPage.js';
import { expectLabelled, textOf as rawTextOf } from '../helpers/pageChecks.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The seed's step 1 in a browser, as on `npm start`: from the service's home page through Hawiya's login
// to a recorded report with its reference and the notice in the dev mailbox; "No" records nothing; a
// holder who does not match is told why; "I found it" withdraws the report.

// Arabic pages write digits in Arabic-Indic figures: compared as Latin digits.
const textOf = async (page: Page, selector: string) => normalizeDigits(await rawTextOf(page, selector));
const SHOTS = process.env.SHOTS_DIR;

const OMAR = {
  nationalId: '2105739466',
  birthDate: '1979-06-21',
  mobile: '0569876543',
  password: 'زيتون الجبل الأخضر',
};

describe('journey: report a lost document', () => {
  let t: TestIdp;
  let services: RunningServices;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let lossUrl: string;

  const reports = async () => Number((await services.db('loss_reports').count({ n: '*' }))[0]?.n ?? 0);

  beforeAll(async () => {
    const [lossPort, replacementPort] = await Promise.all([freePort(), freePort()]);
    lossUrl = `http://127.0.0.1:${lossPort}`;
    t = await startTestIdp({
      outbox: true,
      env: { LOSS_REPORT_URL: lossUrl, REPLACEMENT_URL: `http://127.0.0.1:${replacementPort}` },
    });
    services = await startServices(loadConfig(t.env));
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'ar' });
    page = await context.newPage();

    // Omar registers on Hawiya (the code comes from the dev mailbox).
    await page.goto(`${t.issuer}/register`);
    await page.fill('#nationalId', OMAR.nationalId);
    await page.fill('#birthDate', OMAR.birthDate);
    await page.fill('#username', 'omar');
    await page.fill('#password', OMAR.password);
    await page.click('form[action="/register"] button[type=submit]');
    await page.waitForURL(/\/register\/activate$/);
    await page.fill('#code', await codeFromOutbox(context, t.issuer, OMAR.mobile));
    await page.press('#code', 'Enter');
    await page.waitForURL(/\/register\/done/);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await services?.close();
    await t?.close();
  });

  it('from the home page through Hawiya to a recorded report, with "No" recording nothing and the notice in the mailbox', async () => {
    const used = (await outboxMessages(context, t.issuer)).map((m) => m.text.match(/\b\d{6}\b/)?.[0] ?? '');
    await page.goto(lossUrl);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.click('a[href="/login"]');
    await page.waitForURL(new RegExp(`^${t.issuer}/interaction/`));
    await page.fill('#identifier', OMAR.nationalId);
    await page.fill('#password', OMAR.password);
    await page.press('#password', 'Enter');
    await page.waitForURL(/\/otp$/);
    await page.fill('#code', await codeFromOutbox(context, t.issuer, OMAR.mobile, used));
    await page.press('#code', 'Enter');
    await passPasskeyOffer(page, `${lossUrl}/`);
    expect(await textOf(page, 'main')).toContain('عمر حداد');
    expect(await textOf(page, 'main')).toContain('لم تبلّغ عن فقد أي وثيقة بعد');

    // Pick the document, with the keyboard.
    await page.click('a[href="/reports/new"]');
    await page.waitForURL(`${lossUrl}/reports/new`);
    await expectLabelled(page);
    await page.check('#doc-birth_certificate');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/reports\/new\/details\?documentType=birth_certificate$/);
    await expectLabelled(page);
    // Prefilled from Hawiya's claims: the holder may well be the person.
    expect(await page.inputValue('#holderNationalId')).toBe(OMAR.nationalId);
    expect(await page.inputValue('#holderName')).toBe('عمر حداد');
    await page.click('form[action="/reports/new/details"] button[type=submit]');

    // Confirmation: the data and the question; "No" goes back and records nothing.
    await page.waitForSelector('form[action="/reports/new/confirm"]');
    expect(await textOf(page, 'main')).toContain('هل تريد تسجيل بلاغ فقد هذه الوثيقة؟');
    expect(await textOf(page, 'dl.summary-list')).toContain('شهادة الميلاد');
    expect(await textOf(page, 'dl.summary-list')).toContain(OMAR.nationalId);
    await page.click('button[name=answer][value=no]');
    await page.waitForSelector('form[action="/reports/new/details"]');
    expect(await page.inputValue('#holderName')).toBe('عمر حداد');
    expect(await reports()).toBe(0);

    // Yes records it: the reference, "My reports", the notice by SMS and e-mail in the dev mailbox.
    await page.click('form[action="/reports/new/details"] button[type=submit]');
    await page.waitForSelector('form[action="/reports/new/confirm"]');
    await page.click('button[name=answer][value=yes]');
    await page.waitForURL(/\/reports\/LR\d{10}\?created=1$/);
    const reference = /LR\d{10}/.exec(page.url())?.[0] ?? '';
    expect(await textOf(page, '[role=status]')).toContain(reference);
    expect(await reports()).toBe(1);
    const notices = (await outboxMessages(context, t.issuer)).filter((m) => m.text.includes(reference));
    expect(notices.map((m) => m.to).sort()).toEqual(['+966569876543', 'omar.haddad@example.com']);

    await page.click('a[href="/"]');
    await passPasskeyOffer(page, `${lossUrl}/`);
    expect(await textOf(page, 'table')).toContain(reference);
    expect(await textOf(page, 'table')).toContain('مُبلّغ عن فقدها');
  });

  it('a holder who does not match, or a second report of the same document, is told why in the person’s language', async () => {
    await page.goto(`${lossUrl}/reports/new/details?documentType=family_record&lang=en`);
    await page.fill('#holderNationalId', '1045238712');
    await page.fill('#holderName', 'Sarah Al-Dosari');
    await page.click('form[action="/reports/new/details"] button[type=submit]');
    expect(await textOf(page, '[role=alert]')).toContain(
      'The national ID and name do not match the civil registry for this document.',
    );
    await page.fill('#holderNationalId', '1045238713');
    await page.click('form[action="/reports/new/details"] button[type=submit]');
    expect(await textOf(page, '[role=alert]')).toContain('This national ID is not valid');
    expect(await page.getAttribute('#holderNationalId', 'aria-invalid')).toBe('true');

    await page.goto(`${lossUrl}/reports/new/details?documentType=birth_certificate&lang=ar`);
    await page.click('form[action="/reports/new/details"] button[type=submit]');
    expect(await textOf(page, '[role=alert]')).toContain('مُبلّغ عن فقدها من قبل');
    expect(await reports()).toBe(1);
  });

  it('[checklist 20] a form post without the session’s CSRF token records nothing', async () => {
    const forged = await context.request.post(`${lossUrl}/reports/new/confirm`, {
      form: {
        documentType: 'family_record',
        holderNationalId: '1045238712',
        holderName: 'نورة القحطاني',
        answer: 'yes',
      },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await reports()).toBe(1);
  });

  it('"I found it" withdraws the report', async () => {
    await page.goto(`${lossUrl}/?lang=ar`);
    await page.click('table a.reference');
    await page.waitForURL(/\/reports\/LR\d{10}$/);
    await page.click('form[action$="/withdraw"] button[type=submit]');
    await page.waitForURL(/\?withdrawn=1$/);
    expect(await textOf(page, '[role=status]')).toContain('سُحب البلاغ');
    expect(await textOf(page, 'dl.summary-list')).toContain('سُحب البلاغ');
    expect(await page.locator('form[action$="/withdraw"]').count()).toBe(0);
    const [row] = await services.db('loss_reports').select('status');
    expect(row.status).toBe('withdrawn');
  });

  /** Screenshots for review (SHOTS_DIR): Arabic and English, desktop and phone. */
  async function shots(name: string, url: string) {
    if (!SHOTS) return;
    for (const [w, h] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      for (const lang of ['ar', 'en']) {
        await page.setViewportSize({ width: w, height: h });
        await page.goto(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
        await page.screenshot({ path: `${SHOTS}/${name}-${lang}-${w}.png`, fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1280, height: 720 });
  }

  it('[review R7] a report another person made about Omar’s document is under his reports; he withdraws it', async () => {
    // Someone else's report of Omar's family record, as the API records it for another reporter.
    await services.db('loss_reports').insert({
      reference: 'LR1234567897',
      reporter_sub: 'someone-else',
      client_id: 'loss-report',
      document_type: 'family_record',
      holder_national_id: OMAR.nationalId,
      holder_name: 'عمر حداد',
      reporter_is_holder: false,
      status: 'active',
      active_key: `family_record:${OMAR.nationalId}`,
      created_at: Date.now(),
      updated_at: Date.now(),
    });
    await page.goto(`${lossUrl}/?lang=ar`);
    expect(await textOf(page, 'table')).toContain('LR1234567897');
    expect(await textOf(page, 'table')).toContain('أبلغ عنها غيرك');
    await shots('home-by-other', `${lossUrl}/`);
    await shots('report-by-other', `${lossUrl}/reports/LR1234567897`);
    await page.goto(`${lossUrl}/reports/LR1234567897?lang=en`);
    expect(await textOf(page, '[role=status]')).toContain(
      'Another person reported this document of yours lost',
    );
    await page.click('form[action$="/withdraw"] button[type=submit]');
    await page.waitForURL(/\?withdrawn=1$/);
    const row = await services.db('loss_reports').where({ reference: 'LR1234567897' }).first();
    expect(row.status).toBe('withdrawn');
  });

  it('[review R1] past the per-person limit the form says, in the person’s language, when to try again (429, not 503)', async () => {
    const left = 600_000 - (Date.now() % 600_000);
    if (left < 20_000) await new Promise((r) => setTimeout(r, left + 200));
    let status = 0;
    for (let i = 0; i < 11 && status !== 429; i++) {
      await page.goto(`${lossUrl}/reports/new/details?documentType=family_record&lang=ar`);
      await page.fill('#holderNationalId', '1045238712');
      await page.fill('#holderName', 'اسم خاطئ');
      const [response] = await Promise.all([
        page.waitForResponse(
          (r) => r.url().endsWith('/reports/new/details') && r.request().method() === 'POST',
        ),
        page.click('form[action="/reports/new/details"] button[type=submit]'),
      ]);
      status = response.status();
      expect([422, 429]).toContain(status);
    }
    expect(status).toBe(429);
    expect(await textOf(page, '[role=alert]')).toMatch(
      /أجريت تحققات كثيرة من السجل المدني\. حاول مرة أخرى بعد \d+ دقيقة/,
    );
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/too-many-ar-1280.png`, fullPage: true });
    await page.goto(`${lossUrl}/reports/new/details?documentType=family_record&lang=en`);
    await page.fill('#holderNationalId', '1045238712');
    await page.fill('#holderName', 'Wrong Name');
    await page.click('form[action="/reports/new/details"] button[type=submit]');
    expect(await textOf(page, '[role=alert]')).toMatch(
      /too many civil registry checks\. Please try again in \d+ minutes/,
    );
    await page.setViewportSize({ width: 390, height: 844 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/too-many-en-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
  });
});
