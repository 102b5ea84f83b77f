import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Middleware } from 'koa';
import { VIEWS_DIR } from '../../render.js';

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/** What views/static holds: the design system, the scripts, the emblem and the favicon. */
export const STATIC_FILES = [
  'hawiya.css',
  'hawiya.js',
  'emblem.svg',
  'favicon.svg',
  'passkey-login.js',
  'passkey-enrol.js',
] as const;

/** The browser half of SimpleWebAuthn, from the installed package (never a CDN): window.SimpleWebAuthnBrowser. */
function webauthnBrowserBundle(): string {
  const main = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return join(dirname(main), '..', 'dist', 'bundle', 'index.umd.min.js');
}

/**
 * GET /static/:file (and /favicon.ico): a fixed set of files read once at start: views/static (the design
 * system, the scripts, the emblem and the favicon), and the WebAuthn browser library from node_modules.
 */
export function serveStatic(): Middleware {
  const files = new Map<string, { body: Buffer; type: string }>();
  const sources: [string, string][] = [
    ...STATIC_FILES.map((n): [string, string] => [n, join(VIEWS_DIR, 'static', n)]),
    ['simplewebauthn-browser.js', webauthnBrowserBundle()],
  ];
  for (const [name, path] of sources) {
    const ext = name.split('.').pop() ?? '';
    files.set(name, { body: readFileSync(path), type: TYPES[ext] ?? 'application/octet-stream' });
  }
  return async function serveStatic(ctx) {
    const file = files.get(ctx.path === '/favicon.ico' ? 'favicon.svg' : String(ctx.params.file));
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  };
}
