import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import { VIEWS_DIR } from '../../render.js';

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/** GET /static/:file: a fixed set of files read once at start; nothing from outside views/static. */
export function serveStatic(): Middleware {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of ['hawiya.css']) {
    const ext = name.split('.').pop() ?? '';
    files.set(name, {
      body: readFileSync(join(VIEWS_DIR, 'static', name)),
      type: TYPES[ext] ?? 'application/octet-stream',
    });
  }
  return async function serveStatic(ctx) {
    const file = files.get(String(ctx.params.file));
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  };
}
