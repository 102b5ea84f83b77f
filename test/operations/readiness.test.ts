import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServices } from '../../src/services/startServices.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

describe('/healthz and /readyz', () => {
  let t: TestIdp;
  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string) => {
    const res = await t.fetch(`${t.issuer}${path}`);
    return { status: res.status, cache: res.headers.get('cache-control'), body: await res.json() };
  };

  it('the IdP is alive and ready: database reachable, migrations applied, signing keys loaded', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, cache: 'no-store', body: { status: 'ok' } });
    expect(await get('/readyz')).toEqual({ status: 200, cache: 'no-store', body: { status: 'ready' } });
  });

  it('a node that cannot load a new signing key reports not-ready (and names the key) until it can', async () => {
    const { keyStore } = t.idp;
    const key = await keyStore.create('ES256', 'next');
    const saved = keyStore.files.read(key.kid);
    keyStore.files.remove(key.kid);
    const notReady = await get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.reasons.join(' ')).toContain(key.kid);
    // It still publishes its keys (it signs nothing meanwhile: test/oidc/signingWithoutKeys.test.ts).
    expect((await t.fetch(`${t.issuer}/jwks`)).status).toBe(200);
    keyStore.files.write(key.kid, saved);
    expect(await get('/readyz')).toMatchObject({ status: 200 });
  });

  it('a node shutting down reports not-ready, so the load balancer stops sending it requests', async () => {
    t.idp.drain();
    expect(await get('/readyz')).toMatchObject({ status: 503, body: { reasons: ['shutting down'] } });
    expect(await get('/healthz')).toMatchObject({ status: 200 });
  });

  it('each service answers /healthz and /readyz (its database reachable, migrations applied)', async () => {
    const services = await startServices(
      loadConfig({ ...t.env, LOSS_REPORT_URL: 'http://127.0.0.1:0', REPLACEMENT_URL: 'http://127.0.0.1:0' }),
    );
    try {
      for (const s of Object.values(services.byId)) {
        expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
        const res = await fetch(`${s.url}/readyz`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ready' });
      }
    } finally {
      await services.close();
    }
  });
});
