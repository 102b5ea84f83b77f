import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Screenshots are test artifacts (git-ignored): look at them after a run. */
export const SCREENS_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'screens');

/** WCAG 2.0-2.2 A and AA (colour contrast included) and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * axe-core over the page as it is now; one line per violation and element. The page's CSP forbids inline
 * script, so the browser context that runs this must be made with `bypassCSP: true` (tests only).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, { runOnly: { type: 'tag', values: tags } })) as {
      violations: { id: string; nodes: { target: string[] }[] }[];
    };
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}`));
  }, AXE_TAGS);
  return violations;
}

/** The screenshots are the run's artifacts to look at; `SCREENSHOTS=0` skips them for a quicker local run. */
const TAKE_SCREENSHOTS = process.env.SCREENSHOTS !== '0';

/**
 * Saves `<name>.png` (full page) under SCREENS_DIR (unless `SCREENSHOTS=0`) and returns axe's violations,
 * each prefixed by name.
 */
export async function screenAndAxe(page: Page, name: string): Promise<string[]> {
  if (TAKE_SCREENSHOTS) {
    mkdirSync(SCREENS_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
  }
  return (await axeViolations(page)).map((v) => `${name}: ${v}`);
}

/** A browser context for a page check: a language, a window size, and CSP bypassed for axe only. */
export function checkContextOptions(opts: { locale: 'ar' | 'en'; width: number; height: number }) {
  return {
    locale: opts.locale === 'ar' ? 'ar-SA' : 'en-GB',
    viewport: { width: opts.width, height: opts.height },
    bypassCSP: true,
  } satisfies Parameters<import('playwright-core').Browser['newContext']>[0];
}

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
