import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import { VIEWS_DIR } from '../../render.js';

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/** What views/static holds: the design system, the one script, the emblem and the favicon. */
export const STATIC_FILES = ['hawiya.css', 'hawiya.js', 'emblem.svg', 'favicon.svg'] as const;

/** GET /static/:file (and /favicon.ico): a fixed set of files read once at start; nothing from outside views/static. */
export function serveStatic(): Middleware {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of STATIC_FILES) {
    const ext = name.split('.').pop() ?? '';
    files.set(name, {
      body: readFileSync(join(VIEWS_DIR, 'static', name)),
      type: TYPES[ext] ?? 'application/octet-stream',
    });
  }
  return async function serveStatic(ctx) {
    const file = files.get(ctx.path === '/favicon.ico' ? 'favicon.svg' : String(ctx.params.file));
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  };
}
