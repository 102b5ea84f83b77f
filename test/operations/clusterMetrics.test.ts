import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/freePort.js';
import { sampleSum } from '../helpers/scrape.js';
import { type HawiyaProcess, startHawiyaProcess, waitUntilReady } from '../helpers/startHawiyaProcess.js';

const TOKEN = 'cluster-metrics-token-0123456789abcdefghij';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A GET on a new connection each time, so that the cluster hands it to the next worker in turn. */
const getOnce = (url: string) =>
  new Promise<number>((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    }).once('error', reject);
  });

// The real `npm start` with WORKERS=2: the primary alone listens on METRICS_PORT and its scrape sums what
// both workers counted (each worker's own database pool shows in the sum).
describe('metrics with WORKERS=2 (issue 13)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hawiya-cluster-metrics-'));
  let proc: HawiyaProcess | undefined;
  afterAll(async () => {
    proc?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it("one scrape of the primary covers every worker's requests and pool", async () => {
    const [idpPort, lossPort, replPort, metricsPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    proc = startHawiyaProcess({
      NODE_ENV: 'test',
      PORT: String(idpPort),
      ISSUER: `http://127.0.0.1:${idpPort}`,
      LOSS_REPORT_URL: `http://127.0.0.1:${lossPort}`,
      REPLACEMENT_URL: `http://127.0.0.1:${replPort}`,
      DATABASE_URL: `sqlite:${join(dir, 'hawiya.db')}`,
      KEYS_DIR: join(dir, 'keys'),
      OUTBOX_DIR: join(dir, 'outbox'),
      LOG_LEVEL: 'info',
      WORKERS: '2',
      METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: TOKEN,
    });
    await waitUntilReady(`http://127.0.0.1:${idpPort}/healthz`, 90_000).catch((err) => {
      throw new Error(`${err.message}\n${proc?.output()}`);
    });
    const listening = () => proc?.output().match(/Hawiya identity provider listening/g)?.length ?? 0;
    for (let i = 0; i < 600 && listening() < 2; i++) await sleep(100);
    expect(listening()).toBe(2);

    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const scrape = async () => {
      const res = await fetch(metricsUrl, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const healthz = { app: 'idp', route: '/healthz', status: '2xx' };
    const before = sampleSum(await scrape(), 'hawiya_http_request_duration_seconds_count', healthz);
    for (let i = 0; i < 10; i++) expect(await getOnce(`http://127.0.0.1:${idpPort}/healthz`)).toBe(200);
    const text = await scrape();
    expect(sampleSum(text, 'hawiya_http_request_duration_seconds_count', healthz) - before).toBe(10);
    // SQLite: one connection per pool and worker, so two workers' pools sum to two
    const idpPool = ['used', 'free'].map((state) =>
      sampleSum(text, 'hawiya_db_pool_connections', { pool: 'idp', state }),
    );
    expect(idpPool[0]! + idpPool[1]!).toBe(2);
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${idpPort}/metrics`)).status).toBe(404);
    // Starting three real processes dominates (about 10 s on an idle machine; a minute on a shared, loaded
    // one, with or without metrics); the test's own work takes about a second.
  }, 180_000);
});
