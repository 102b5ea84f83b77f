import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { inProcessFetch } from '../../test/helpers/inProcessFetch.js';
import { sampleSum } from '../../test/helpers/scrape.js';
import { createMetrics } from './createMetrics.js';
import { requestMetrics } from './requestMetrics.js';

describe('requestMetrics', () => {
  it('times each request by its route template, never the raw path, and counts 429 answers', async () => {
    const metrics = createMetrics();
    const router = new Router();
    router.get('/requests/:reference', (ctx) => {
      ctx.body = 'ok';
    });
    router.post('/requests/:reference/cancel', (ctx) => {
      ctx.status = 429;
      ctx.body = 'wait';
    });
    const app = new Koa();
    app.use(requestMetrics(metrics, 'replacement'));
    app.use(router.routes());
    const fetch = inProcessFetch(app.callback());
    await fetch('http://svc.test/requests/RQ-1000000008');
    await fetch('http://svc.test/requests/RQ-2000000007');
    await fetch('http://svc.test/requests/RQ-2000000007/cancel', { method: 'POST' });
    await fetch('http://svc.test/1000000008');

    const text = await metrics.registry.metrics();
    const count = (labels: Record<string, string>) =>
      sampleSum(text, 'hawiya_http_request_duration_seconds_count', { app: 'replacement', ...labels });
    expect(count({ method: 'GET', route: '/requests/:reference', status: '2xx' })).toBe(2);
    expect(count({ method: 'POST', route: '/requests/:reference/cancel', status: '4xx' })).toBe(1);
    expect(count({ route: 'unmatched', status: '4xx' })).toBe(1);
    expect(
      sampleSum(text, 'hawiya_http_limited_total', {
        app: 'replacement',
        route: '/requests/:reference/cancel',
      }),
    ).toBe(1);
    expect(text).not.toMatch(/RQ-|1000000008/);
  });
});
