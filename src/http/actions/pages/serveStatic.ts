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

/** The browser half of SimpleWebAuthn, from the installed package (never a CDN): window.SimpleWebAuthnBrowser. */
function webauthnBrowserBundle(): string {
  const main = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return join(dirname(main), '..', 'dist', 'bundle', 'index.umd.min.js');
}

/**
 * GET /static/:file: a fixed set of files read once at start: views/static, and the WebAuthn browser
 * library from node_modules.
 */
export function serveStatic(): Middleware {
  const files = new Map<string, { body: Buffer; type: string }>();
  const sources: [string, string][] = [
    ...['hawiya.css', 'passkey-login.js', 'passkey-enrol.js'].map((n): [string, string] => [
      n,
      join(VIEWS_DIR, 'static', n),
    ]),
    ['simplewebauthn-browser.js', webauthnBrowserBundle()],
  ];
  for (const [name, path] of sources) {
    const ext = name.split('.').pop() ?? '';
    files.set(name, { body: readFileSync(path), type: TYPES[ext] ?? 'application/octet-stream' });
  }
  return async function serveStatic(ctx) {
    const file = files.get(String(ctx.params.file));
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  };
}
