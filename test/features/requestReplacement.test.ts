import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { localDigits } from '../../src/shared/localText.js';
import { runHawiya } from '../cli/runHawiya.js';
import { launchBrowser, passPasskeyOffer } from '../helpers/browser.js';
import { freePort } from '../helpers/freePort.js';
import { codeFromOutbox, outboxMessages } from '../helpers/outboxPage.js';
import { expectLabelled, textOf } from '../helpers/pageChecks.js';
import { pdfActualText, pdfText } from '../helpers/pdfText.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The seed's step 2 in a browser, as on `npm start`: Omar reports his ID card lost, requests its
// replacement at the second service (which learns the report through the loss-report API), books the
// first free time at a development office, downloads Form 58 (its text read back), sees the state change
// when the office staff's CLI marks the card ready, and the loss report closed as replaced once collected.

const OMAR = {
  nationalId: '2105739466',
  birthDate: '1979-06-21',
  mobile: '0569876543',
  password: 'زيتون الجبل الأخضر',
};

describe('journey: request a replacement', () => {
  let t: TestIdp;
  let services: RunningServices;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let lossUrl: string;
  let replacementUrl: string;
  let used: string[] = [];

  const count = async (table: string, where: Record<string, unknown> = {}) =>
    Number((await services.db(table).where(where).count({ n: '*' }))[0]?.n ?? 0);
  const cli = (...args: string[]) => runHawiya(args, t.env);

  /** Signs in at a service: Hawiya's password and SMS code, unless its session is still there. */
  async function signIn(serviceUrl: string) {
    await page.goto(serviceUrl);
    await page.click('a[href="/login"]');
    await page.waitForURL(
      (u) => u.href.startsWith(`${t.issuer}/interaction/`) || u.href === `${serviceUrl}/`,
    );
    if (page.url() === `${serviceUrl}/`) return;
    await page.fill('#identifier', OMAR.nationalId);
    await page.fill('#password', OMAR.password);
    await page.press('#password', 'Enter');
    await page.waitForURL(/\/otp$/);
    const code = await codeFromOutbox(context, t.issuer, OMAR.mobile, used);
    used = [...used, code];
    await page.fill('#code', code);
    await page.press('#code', 'Enter');
    await passPasskeyOffer(page, `${serviceUrl}/`);
  }

  beforeAll(async () => {
    const [lossPort, replacementPort] = await Promise.all([freePort(), freePort()]);
    lossUrl = `http://127.0.0.1:${lossPort}`;
    replacementUrl = `http://127.0.0.1:${replacementPort}`;
    t = await startTestIdp({
      outbox: true,
      env: { LOSS_REPORT_URL: lossUrl, REPLACEMENT_URL: replacementUrl },
    });
    services = await startServices(loadConfig(t.env), { background: false });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'ar', acceptDownloads: true });
    page = await context.newPage();
    await page.goto(`${t.issuer}/register`);
    await page.fill('#nationalId', OMAR.nationalId);
    await page.fill('#birthDate', OMAR.birthDate);
    await page.fill('#username', 'omar');
    await page.fill('#password', OMAR.password);
    await page.click('form[action="/register"] button[type=submit]');
    await page.waitForURL(/\/register\/activate$/);
    const code = await codeFromOutbox(context, t.issuer, OMAR.mobile);
    used = [code];
    await page.fill('#code', code);
    await page.press('#code', 'Enter');
    await page.waitForURL(/\/register\/done/);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await services?.close();
    await t?.close();
  });

  it('with no report, the replacement service points to the report service; nothing is requested', async () => {
    await signIn(replacementUrl);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await textOf(page, 'main')).toContain('لا توجد لديك وثيقة مبلّغ عن فقدها');
    expect(await page.getAttribute(`a[href="${lossUrl}"]`, 'href')).toBe(lossUrl);
    // A made-up loss report reference is refused with a clear message, recording nothing.
    const csrf = await page.getAttribute('form[action="/logout"] input[name=_csrf]', 'value');
    const forged = await context.request.post(`${replacementUrl}/requests`, {
      form: { _csrf: csrf ?? '', lossReport: 'LR1234567897' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(404);
    expect(await forged.text()).toContain('لا يوجد لك بلاغ فقد قائم بهذا الرقم');
    expect(await count('replacement_requests')).toBe(0);
  });

  it('report the ID card lost, request its replacement, book the first free time, download Form 58', async () => {
    await signIn(lossUrl);
    await page.goto(`${lossUrl}/reports/new/details?documentType=national_id_card`);
    await page.click('form[action="/reports/new/details"] button[type=submit]');
    await page.click('button[name=answer][value=yes]');
    await page.waitForURL(/\/reports\/LR\d{10}\?created=1$/);
    const lossReference = /LR\d{10}/.exec(page.url())?.[0] ?? '';

    await page.goto(replacementUrl);
    expect(await textOf(page, 'ul.reported')).toContain(localDigits('ar', lossReference));
    await page.click(`form[action="/requests"]:has(input[value="${lossReference}"]) button[type=submit]`);
    await page.waitForURL(/\/requests\/RQ\d{10}\/book$/);
    await expectLabelled(page);
    const reference = /RQ\d{10}/.exec(page.url())?.[0] ?? '';
    // Every proposed time is in both calendars.
    expect(await page.locator('#date option[selected]').textContent()).toMatch(/[٠-٩]{4} \(.*هـ\)/);
    expect(await textOf(page, 'fieldset legend')).toMatch(/[٠-٩]{4} \(.*هـ\)/);
    await page.click('form[action$="/book"][method=post] button[type=submit]');
    await page.waitForURL(new RegExp(`/requests/${reference}\\?booked=1$`));
    expect(await textOf(page, '[role=status]')).toContain('حُجز موعدك');
    expect(await textOf(page, 'dl.summary')).toContain('حُجز الموعد');
    expect(await textOf(page, 'dl.summary')).toContain('بعد ١٥ يوماً من الموعد');
    expect(await count('appointments', { request: reference, status: 'booked' })).toBe(1);
    const notices = (await outboxMessages(context, t.issuer)).filter((m) => m.text.includes(reference));
    expect(notices.map((m) => m.to).sort()).toEqual(['+966569876543', 'omar.haddad@example.com']);

    // Booking again moves the appointment (the page offers "change"), never adds a second one.
    const csrf = await page.getAttribute('form[action$="/cancel"] input[name=_csrf]', 'value');
    const [appointment] = await services
      .db('appointments')
      .where({ request: reference })
      .select('office_id', 'starts_at');
    const again = await context.request.post(`${replacementUrl}/requests/${reference}/book`, {
      form: { _csrf: csrf ?? '', office: appointment.office_id, startsAt: String(appointment.starts_at) },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    expect(await count('appointments', { request: reference, status: 'booked' })).toBe(1);

    const download = page.waitForEvent('download');
    await page.click(`a[href="/requests/${reference}/form58.pdf"]`);
    const file = await (await download).path();
    const text = await pdfText(readFileSync(file));
    expect(text).toContain('Omar Haddad');
    expect(text).toContain('national ID card');
    expect(text).toContain(reference);
    expect(text).toContain(OMAR.nationalId);
    // The Arabic lines read back in logical order: the name from his token, the booked office.
    const office = await services.db('offices').where({ id: appointment.office_id }).first('name_ar');
    const arabic = pdfActualText(readFileSync(file));
    expect(arabic).toContain('اسم مقدم الطلب: عمر حداد');
    expect(arabic).toContain(`مكتب الأحوال المدنية: ${office.name_ar}`);
  }, 90_000);

  it('the staff mark it attended and ready (the page shows the collection date), then collected: the loss report is closed as replaced', async () => {
    const reference = (await services.db('replacement_requests').first('reference')).reference as string;
    const attend = await cli('requests', 'attend', reference);
    expect(attend.code, attend.stderr).toBe(0);
    expect(attend.stdout).toContain('biometrics captured');
    expect((await cli('requests', 'collect', reference)).code).toBe(1);
    const ready = await cli('requests', 'ready', reference, '--json');
    expect(ready.code, ready.stderr).toBe(0);
    const collectionDate = JSON.parse(ready.stdout).collection_date as string;
    expect(collectionDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await page.goto(`${replacementUrl}/?lang=ar`);
    expect(await textOf(page, 'table')).toContain('جاهزة للاستلام');
    await page.click('table a.reference');
    expect(await textOf(page, 'dl.summary')).toMatch(/هـ/);

    const collect = await cli('requests', 'collect', reference);
    expect(collect.code, collect.stderr).toBe(0);
    expect(collect.stdout).toContain('closed as replaced');
    const [report] = await services.db('loss_reports').select('status');
    expect(report.status).toBe('replaced');
    await page.goto(`${lossUrl}/?lang=ar`);
    expect(await textOf(page, 'table')).toContain('صدر بدلها');
    const show = JSON.parse((await cli('requests', 'show', reference, '--json')).stdout);
    expect(show.status).toBe('collected');
    expect(show.loss_report_closed_at).not.toBeNull();
  }, 120_000);
});
