import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The text of the first element matching `selector`, once it is there. */
export async function textOf(page: Page, selector: string): Promise<string> {
  const el = page.locator(selector).first();
  await el.waitFor();
  return (await el.textContent()) ?? '';
}

/** Every visible form control has a label (checked on each page of the journey). */
export async function expectLabelled(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => {
        const id = el.getAttribute('id');
        return !(id && document.querySelector(`label[for="${id}"]`)) && !el.getAttribute('aria-label');
      })
      .map((el) => el.outerHTML),
  );
  expect(unlabelled).toEqual([]);
}
