import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { registryScrape } from '../../src/metrics/clusterMetrics.js';
import { createMetrics, type Metrics } from '../../src/metrics/createMetrics.js';
import { metricsHandler, startMetricsServer } from '../../src/metrics/metricsServer.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { inProcessFetch } from '../helpers/inProcessFetch.js';
import {
  completeLogin,
  demoPerson,
  exchange,
  type Person,
  registerAndActivate,
  registerTestClient,
  rpConfig,
  startLogin,
} from '../helpers/oidcLogin.js';
import { declaredNames, sampleSum, samples } from '../helpers/scrape.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';

const TOKEN = 'metrics-test-token-0123456789abcdefghij';
const STANDARD = 'urn:hawiya:acr:standard';

// The IdP in-process with metrics on: a registration, a wrong password, then a password + SMS login through
// a real OIDC client (openid-client) and its token request; the scrape is read through the metrics
// listener's own handler, as Prometheus would.
describe('Prometheus metrics (issue 13)', () => {
  let t: TestIdp;
  let metrics: Metrics;
  let person: Person;
  let scrape: (headers?: Record<string, string>) => Promise<Response>;
  let text: string;
  let uid: string;
  let services: RunningServices;

  beforeAll(async () => {
    metrics = createMetrics();
    t = await startTestIdp({ inProcess: true, metrics });
    await registerTestClient(t);
    person = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
    await registerAndActivate(t, person);
    const config = await rpConfig(t);

    const wrong = await startLogin(t, config);
    const refused = await wrong.web.submit(
      `${t.issuer}/interaction/${wrong.uid}/login`,
      { identifier: person.nationalId, password: 'not the password at all' },
      wrong.csrf,
    );
    expect(refused.status).toBe(401);

    const login = await startLogin(t, config);
    uid = login.uid;
    const tokens = await exchange(config, login, await completeLogin(t, login, person));
    expect(tokens.claims()?.acr).toBe(STANDARD);

    // The services of the same process count into the same registry, told apart by `app`.
    services = await startServices(loadConfig(t.env), {
      ports: { 'loss-report': 0, replacement: 0 },
      metrics,
      background: false,
    });
    expect((await fetch(`${services.byId['loss-report'].url}/`)).status).toBe(200);
    expect((await fetch(`${services.byId.replacement.url}/healthz`)).status).toBe(200);

    const fetchMetrics = inProcessFetch(metricsHandler(registryScrape(metrics.registry), TOKEN));
    scrape = (headers = {}) => fetchMetrics('http://metrics.test/metrics', { headers });
    const res = await scrape({ Authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    text = await res.text();
    if (process.env.DUMP_SCRAPE) process.stderr.write(text);
  });
  afterAll(async () => {
    await services?.close();
    await t?.close();
  });

  it('a password + SMS login moves the login, code and token counters with the right labels', () => {
    const count = (name: string, labels: Record<string, string>) => sampleSum(text, name, labels);
    expect(count('hawiya_logins_total', { method: 'pwd+sms', acr: STANDARD, result: 'success' })).toBe(1);
    expect(count('hawiya_logins_total', { method: 'pwd', acr: 'none', result: 'wrong_password' })).toBe(1);
    expect(count('hawiya_codes_sent_total', { channel: 'sms', purpose: 'login', result: 'sent' })).toBe(1);
    expect(count('hawiya_codes_sent_total', { channel: 'sms', purpose: 'activation', result: 'sent' })).toBe(
      1,
    );
    expect(
      count('hawiya_token_requests_total', {
        grant_type: 'authorization_code',
        client: 'test-rp',
        result: 'ok',
      }),
    ).toBe(1);
    expect(
      count('hawiya_tokens_issued_total', {
        kind: 'access_token',
        grant_type: 'authorization_code',
        client: 'test-rp',
      }),
    ).toBe(1);
    expect(
      count('hawiya_tokens_issued_total', {
        kind: 'authorization_code',
        grant_type: 'none',
        client: 'test-rp',
      }),
    ).toBe(1);
  });

  it('counts discovery and JWKS requests answered from memory under their provider route', async () => {
    const jwksCount = async () => {
      const res = await scrape({ Authorization: `Bearer ${TOKEN}` });
      const route = { app: 'idp', method: 'GET', route: 'oidc:jwks', status: '2xx' };
      return sampleSum(await res.text(), 'hawiya_http_request_duration_seconds_count', route);
    };
    const before = await jwksCount();
    // the first may go through the provider, the others are sent from memory (publishedAnswers.ts)
    for (let i = 0; i < 3; i++) expect((await t.fetch(`${t.issuer}/jwks`)).status).toBe(200);
    expect((await jwksCount()) - before).toBe(3);
  });

  it('latency by route template, pool use and signing key ages are exported', () => {
    const otp = { app: 'idp', method: 'POST', route: '/interaction/:uid/otp', status: '3xx' };
    expect(sampleSum(text, 'hawiya_http_request_duration_seconds_count', otp)).toBe(1);
    const token = { app: 'idp', method: 'POST', route: 'oidc:token', status: '2xx' };
    expect(sampleSum(text, 'hawiya_http_request_duration_seconds_count', token)).toBe(1);
    expect(
      sampleSum(text, 'hawiya_http_request_duration_seconds_count', { route: 'oidc:authorization' }),
    ).toBe(2);
    expect(sampleSum(text, 'hawiya_db_pool_connections', { pool: 'idp', state: 'pending' })).toBe(0);
    expect(
      sampleSum(text, 'hawiya_db_pool_connections', { pool: 'idp', state: 'used' }),
    ).toBeGreaterThanOrEqual(0);
    const current = samples(text).filter(
      (s) => s.name === 'hawiya_signing_key_age_seconds' && s.labels.state === 'current',
    );
    expect(current.map((s) => s.labels.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const s of current) expect(s.value).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    const home = { app: 'loss-report', method: 'GET', route: '/', status: '2xx' };
    expect(sampleSum(text, 'hawiya_http_request_duration_seconds_count', home)).toBe(1);
    const health = { app: 'replacement', method: 'GET', route: '/healthz', status: '2xx' };
    expect(sampleSum(text, 'hawiya_http_request_duration_seconds_count', health)).toBe(1);
    expect(sampleSum(text, 'hawiya_db_pool_connections', { pool: 'services', state: 'pending' })).toBe(0);
  });

  it('every metric the Grafana dashboard queries exists in a real scrape, and it shows every Hawiya metric', () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../../src/metrics/grafana-dashboard.json', import.meta.url), 'utf8'),
    ) as { panels: { targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((target) => target.expr));
    expect(exprs.length).toBeGreaterThan(10);
    // a metric is a name before a selector's brace; label names and functions never are
    const queried = new Set(
      exprs.flatMap((e) => [...e.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1])),
    );
    const declared = declaredNames(text);
    expect([...queried].filter((name) => !declared.has(name as string))).toEqual([]);
    const ours = [...text.matchAll(/^# TYPE (hawiya_\S+)/gm)].map((m) => m[1] as string);
    expect(ours.filter((name) => ![...queried].some((q) => q?.startsWith(name)))).toEqual([]);
  });

  it('[checklist 44] no label carries a national ID, phone, e-mail, username, address or raw path', () => {
    // every label value but the signing keys' ids (random, public in the JWKS)
    const values = samples(text).flatMap((s) =>
      Object.entries(s.labels)
        .filter(([name]) => name !== 'kid')
        .map(([, value]) => value),
    );
    expect(values.length).toBeGreaterThan(50);
    const personal = [person.nationalId, person.mobile, person.username, uid, '127.0.0.1', '@'];
    const leaks = values.filter(
      (value) =>
        personal.some((datum) => value.includes(datum)) ||
        /\d{6,}/.test(value) ||
        // no path with an id in it: only route templates, provider route names or `unmatched`
        (value.startsWith('/') && /\/[A-Za-z0-9_-]{16,}/.test(value)),
    );
    expect(leaks).toEqual([]);
  });

  it('the metrics endpoint refuses a scrape without the token (401) and is not served on the public port', async () => {
    expect((await scrape()).status).toBe(401);
    const wrong = await scrape({ Authorization: `Bearer ${TOKEN.slice(1)}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
    expect(await wrong.text()).not.toContain('hawiya_');
    const publicPort = await t.fetch(`${t.issuer}/metrics`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(publicPort.status).toBe(404);
    expect(await publicPort.text()).not.toContain('hawiya_logins_total');
  });

  it('the listener binds its own port on its own address, and answers only GET /metrics', async () => {
    const server = await startMetricsServer({
      scrape: registryScrape(metrics.registry),
      port: 0,
      host: '127.0.0.1',
      token: TOKEN,
    });
    try {
      expect((await fetch(server.url)).status).toBe(401);
      const ok = await fetch(server.url, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('hawiya_logins_total');
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});

// PostgreSQL behind a proxy the test stops: the metrics matter most while the database is down.
describe('Prometheus metrics while the database is down (PostgreSQL)', () => {
  let proxy: TcpProxy;
  let t: TestIdp;
  const metrics = createMetrics();
  const scrape = async () => {
    const res = await inProcessFetch(metricsHandler(registryScrape(metrics.registry), undefined))(
      'http://metrics.test/metrics',
    );
    return { status: res.status, text: await res.text() };
  };
  const keyAges = (text: string) => samples(text).filter((s) => s.name === 'hawiya_signing_key_age_seconds');

  beforeAll(async () => {
    proxy = await startTcpProxy(5432);
    t = await startTestIdp({
      engine: 'pg',
      inProcess: true,
      metrics,
      databaseUrl: (url) => url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`),
    });
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await t?.close();
    await proxy.stop();
  });

  it('a scrape still answers, without key ages, and has them again once the database is back', async () => {
    expect(keyAges((await scrape()).text).length).toBeGreaterThan(0);
    await proxy.stop();
    expect((await t.fetch(`${t.issuer}/readyz`)).status).toBe(503);
    const down = await scrape();
    expect(down.status).toBe(200);
    expect(keyAges(down.text)).toEqual([]);
    expect(
      sampleSum(down.text, 'hawiya_http_request_duration_seconds_count', { route: '/readyz', status: '5xx' }),
    ).toBe(1);
    await proxy.start();
    expect((await t.fetch(`${t.issuer}/readyz`)).status).toBe(200);
    expect(keyAges((await scrape()).text).length).toBeGreaterThan(0);
  });
});
