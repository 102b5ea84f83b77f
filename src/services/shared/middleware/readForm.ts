import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { HawiyaError } from '../../../shared/errors.js';

/**
 * Parses a url-encoded form (64 kB at most). Whatever goes wrong while reading the body (too large, bad gzip
 * or deflate, an unknown encoding, a broken charset) is the client's doing: it becomes a HawiyaError with
 * a 4xx status (413, 415, otherwise 400), never a 500.
 */
export function readForm(): Middleware {
  const parse = bodyParser({ enableTypes: ['form'], formLimit: '64kb', encoding: 'utf-8' });
  return async function readForm(ctx, next) {
    try {
      // A no-op next: an error thrown here can only come from reading the body.
      await parse(ctx, async () => {});
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      if (status === 413) throw new HawiyaError('too_large', 413);
      throw new HawiyaError('bad_request', status === 415 ? 415 : 400);
    }
    await next();
  };
}
