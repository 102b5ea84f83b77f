import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import { RP_VIEWS_DIR } from '../createRpRenderer.js';

const FILES: Record<string, string> = {
  'hawiya.js': 'text/javascript; charset=utf-8',
  'emblem.svg': 'image/svg+xml',
  'favicon.svg': 'image/svg+xml',
};

/**
 * GET /static/:file (and /favicon.ico): the design system's script, emblem and favicon, the same files
 * Hawiya serves (views/static), read once; nothing from anywhere else. The stylesheet is serveServiceCss.
 */
export function serveServiceAssets(): Middleware {
  const files = new Map(
    Object.entries(FILES).map(([name, type]) => [
      name,
      { type, body: readFileSync(join(RP_VIEWS_DIR, '..', 'static', name)) },
    ]),
  );
  return async function serveServiceAssets(ctx) {
    const file = files.get(ctx.path === '/favicon.ico' ? 'favicon.svg' : String(ctx.params.file));
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  };
}
