import type { Context } from 'koa';
import type { RpRenderer } from './createRpRenderer.js';
import type { RpMessageKey } from './rpMessages.js';

/** The shared error page: the message in the page's language and, below it, in the other one. */
export function showError(
  render: RpRenderer,
  ctx: Context,
  page: { key: RpMessageKey; status: number; retry?: string },
): void {
  render(ctx, { view: 'error', data: { messageKey: page.key, retry: page.retry }, status: page.status });
}
