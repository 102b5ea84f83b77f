import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import { RP_VIEWS_DIR } from '../createRpRenderer.js';

/** GET /static/service.css: Hawiya's page style, then the services' changes, as one file. */
export function serveServiceCss(opts: { cache: boolean }): Middleware {
  let css: string | undefined;
  return async function serveServiceCss(ctx) {
    css =
      opts.cache && css
        ? css
        : `${await readFile(join(RP_VIEWS_DIR, '..', 'static', 'hawiya.css'), 'utf8')}\n${await readFile(join(RP_VIEWS_DIR, 'service.css'), 'utf8')}`;
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = css;
  };
}
