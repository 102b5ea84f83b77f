import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { anyControlChars } from './controlChars.js';
import { UnreadableBody } from './formBody.js';

/**
 * Reads a JSON object body (UTF-8, at most `limit`) for an API action, which answers its own errors as
 * JSON: anything unreadable (not JSON, not an object, too large, a control character) is UnreadableBody.
 */
export function createJsonBodyReader(opts: { limit: string }) {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: opts.limit, encoding: 'utf-8' });
  return async function readJsonBody(ctx: Context): Promise<Record<string, unknown>> {
    if (!ctx.is('application/json')) throw new UnreadableBody(400, 'not application/json');
    try {
      await parse(ctx, async () => {});
    } catch (err) {
      const e = err as { status?: number; message?: string };
      throw new UnreadableBody(e.status === 413 ? 413 : 400, e.message ?? 'unreadable');
    }
    const body = ctx.request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new UnreadableBody(400, 'not an object');
    if (anyControlChars(body)) throw new UnreadableBody(400, 'control character in a field');
    return body as Record<string, unknown>;
  };
}
