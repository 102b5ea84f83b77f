import type { Context } from 'koa';
import type { RequestMeta } from './createLossReports.js';

/** Where the request came from, for the audit (checklist 43): the client address (behind the configured proxies) and agent. */
export function requestMeta(ctx: Context): RequestMeta {
  const userAgent = ctx.get('User-Agent');
  return { ip: ctx.ip, ...(userAgent ? { userAgent } : {}) };
}
