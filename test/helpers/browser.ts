import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with nothing that reaches for the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install the Debian package chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * After a password + SMS code: the first such login of an account stops once at the offer to add a passkey;
 * it is answered "not now" when shown. Then waits for `url`.
 */
export async function passPasskeyOffer(page: Page, url: string | RegExp): Promise<void> {
  const matches = (u: URL) => (typeof url === 'string' ? u.href === url : url.test(u.href));
  await page.waitForURL((u) => u.pathname.endsWith('/passkey-offer') || matches(u));
  if (new URL(page.url()).pathname.endsWith('/passkey-offer')) {
    await page.click('#offer-skip');
    await page.waitForURL(url);
  }
}
