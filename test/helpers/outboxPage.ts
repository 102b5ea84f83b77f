import type { BrowserContext } from 'playwright-core';

/** The messages the dev mailbox page (/dev/outbox) lists, newest first, as a person would read them. */
export async function outboxMessages(
  context: BrowserContext,
  issuer: string,
): Promise<{ to: string; text: string }[]> {
  const page = await context.newPage();
  try {
    await page.goto(`${issuer}/dev/outbox`);
    return await page.locator('tr.outbox-message').evaluateAll((trs) =>
      trs.map((tr) => ({
        to: (tr.children[2]?.textContent ?? '').trim(),
        text: tr.children[3]?.textContent ?? '',
      })),
    );
  } finally {
    await page.close();
  }
}

/** Waits for a 6-digit code to `to` in the dev mailbox (not one of `notIn`) and returns it. */
export async function codeFromOutbox(
  context: BrowserContext,
  issuer: string,
  to: string,
  notIn: string[] = [],
): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const rows = await outboxMessages(context, issuer);
    const code = rows.find((r) => r.to === to)?.text.match(/\b(\d{6})\b/)?.[1];
    if (code && !notIn.includes(code)) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code for ${to} in the dev mailbox`);
}
