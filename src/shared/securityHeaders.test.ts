import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './securityHeaders.js';

async function headersOf(https: boolean): Promise<Headers> {
  const app = new Koa();
  app.use(securityHeaders({ https }));
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  const server = createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return res.headers;
  } finally {
    server.close();
  }
}

describe('security headers', () => {
  it('[checklist 45] HSTS for at least a year when served over https', async () => {
    const hsts = (await headersOf(true)).get('strict-transport-security') ?? '';
    expect(Number(hsts.match(/max-age=(\d+)/)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect((await headersOf(false)).get('strict-transport-security')).toBeNull();
  });

  it('[checklist 31] no framing and no inline script on any page', async () => {
    const h = await headersOf(false);
    const csp = h.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('x-content-type-options')).toBe('nosniff');
  });
});
