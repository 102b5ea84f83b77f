import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../accounts/journey.js';
import { freePort } from '../helpers/freePort.js';
import { registerFromAddresses } from '../helpers/registerFromAddresses.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { trustingFetch } from '../helpers/trustingFetch.js';

// README "Deployment"'s sample nginx configuration, run by the real nginx in front of two real IdP nodes
// (one SQLite database, the same key files). Only what must differ on a test machine is replaced, each
// replacement checked so that a changed sample fails here instead of going untried: the listen port and
// the public host:port sent upstream, the certificate paths, the upstream addresses, and the monitoring network of the health location (10.0.0.0/8
// becomes 127.0.0.2, a second loopback address the test can connect from; 127.0.0.1 stays outside it).

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function sampleConfig(): string {
  const block = /```nginx\n([\s\S]*?)```/.exec(README)?.[1];
  if (!block) throw new Error('README has no nginx code block');
  return block;
}

function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const hits = text.split(from).length - 1;
  if (hits !== 1)
    throw new Error(`README nginx sample: expected ${String(from)} once, found it ${hits} times`);
  return text.replace(from, to);
}

/** A self-signed certificate for 127.0.0.1 (the openssl CLI, as an operator would make a test one). */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  // biome-ignore format: an openssl command line reads best as one writes it
  const args = [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
  ];
  execFileSync('openssl', args, { stdio: 'ignore' });
  return { cert, key };
}

async function waitForNginx(fetchIt: typeof fetch, url: string, nginx: ChildProcess, log: () => string) {
  for (let i = 0; i < 100; i++) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited ${nginx.exitCode}:\n${log()}`);
    if (
      await fetchIt(url).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not answer:\n${log()}`);
}

describe('behind nginx with the README sample configuration', () => {
  let dir: string;
  let nginx: ChildProcess;
  let nginxLog = '';
  let n1: TestIdp;
  let n2: TestIdp;
  let n2Stopped = false;
  let issuer: string;
  /** clients on 127.0.0.1 and 127.0.0.3, and one on 127.0.0.2 (inside the health location's allow list) */
  let client: typeof fetch;
  let visitor: typeof fetch;
  let monitor: typeof fetch;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hawiya-nginx-'));
    const port = await freePort();
    issuer = `https://127.0.0.1:${port}`;
    const env = { ISSUER: issuer, TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '1', IP_LIMIT: '2' };
    n1 = await startTestIdp({ engine: 'sqlite', env });
    n2 = await startTestIdp({
      engine: 'sqlite',
      databaseUrl: () => n1.env.DATABASE_URL as string,
      env: { ...env, KEYS_DIR: n1.env.KEYS_DIR as string },
    });

    const { cert, key } = selfSignedCertificate(dir);
    let site = sampleConfig();
    site = replaceOnce(site, 'listen 443 ssl', `listen 127.0.0.1:${port} ssl`);
    site = replaceOnce(site, 'Host id.example.gov;', `Host 127.0.0.1:${port};`);
    site = replaceOnce(site, '/etc/ssl/hawiya/fullchain.pem', cert);
    site = replaceOnce(site, '/etc/ssl/hawiya/privkey.pem', key);
    site = replaceOnce(site, 'server 10.0.0.11:3000', `server 127.0.0.1:${n1.env.PORT}`);
    site = replaceOnce(site, 'server 10.0.0.12:3000', `server 127.0.0.1:${n2.env.PORT}`);
    site = replaceOnce(site, 'allow 10.0.0.0/8', 'allow 127.0.0.2');
    writeFileSync(join(dir, 'hawiya.conf'), site);
    // The rest is what /etc/nginx/nginx.conf gives the sample, with every path inside the test's directory
    // so that nginx runs without root. As root (CI), nginx would switch its workers to `nobody`, who cannot
    // enter this 0700 directory: keep them root there.
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];
    for (const t of temp) mkdirSync(join(dir, t));
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        process.getuid?.() === 0 ? 'user root;' : '',
        'worker_processes 1;',
        'events { worker_connections 128; }',
        'http {',
        '  access_log off;',
        ...temp.map((t) => `  ${t}_temp_path ${join(dir, t)};`),
        `  include ${join(dir, 'hawiya.conf')};`,
        '}',
      ].join('\n'),
    );
    // Debian installs it in /usr/sbin, which a non-root PATH may lack.
    nginx = spawn(
      existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx',
      [
        '-p',
        dir,
        '-c',
        join(dir, 'nginx.conf'),
        '-g',
        `daemon off; pid ${join(dir, 'nginx.pid')}; error_log stderr;`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    nginx.stdout?.on('data', (d) => (nginxLog += d));
    nginx.stderr?.on('data', (d) => (nginxLog += d));

    const ca = readFileSync(cert, 'utf8');
    client = trustingFetch({ ca });
    monitor = trustingFetch({ ca, localAddress: '127.0.0.2' });
    visitor = trustingFetch({ ca, localAddress: '127.0.0.3' });
    await waitForNginx(client, `${issuer}/healthz`, nginx, () => nginxLog);
  }, 30_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGQUIT'); // graceful: the master stops its worker and removes the pid file
      await exited;
    }
    if (!n2Stopped) await n2?.close();
    await n1?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('discovery through nginx names the https issuer the nodes were given', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await client(`${issuer}/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as Record<string, string>;
      expect(doc.issuer).toBe(issuer);
      expect(doc.authorization_endpoint).toBe(`${issuer}/auth`);
    }
  });

  it('[checklist 7, 43] a spoofed X-Forwarded-For neither escapes the per-IP limit nor becomes the audited address', async () => {
    const statuses = await registerFromAddresses({
      idp: { issuer, fetch: visitor },
      count: 3,
      forwardedFor: (i) => `203.0.113.${i + 1}`,
      idFill: '7',
      usernamePrefix: 'nginxuser',
    });
    // nginx appended the address it saw (127.0.0.3; the nodes' own peer is nginx, 127.0.0.1): the client's
    // own entries count for nothing.
    expect(statuses).toEqual([303, 303, 429]);
    const rows = await auditRows(n1, 'registration_rejected');
    expect(rows.map((r) => r.ip)).toEqual(['127.0.0.3', '127.0.0.3']);
  });

  it('/healthz and /readyz answer the monitoring network only, whatever the spelling of the path', async () => {
    expect((await monitor(`${issuer}/readyz`)).status).toBe(200);
    expect(await (await monitor(`${issuer}/healthz`)).json()).toEqual({ status: 'ok' });
    for (const path of [
      '/readyz',
      '/healthz',
      '/READYZ',
      '/readyz/',
      '/Healthz/',
      '/healthz?x=1',
      '/%72eadyz',
      '//readyz',
    ]) {
      expect([path, (await client(`${issuer}${path}`)).status]).toEqual([path, 403]);
    }
  });

  it('a node answering 503 or stopped: every request is answered by the other (proxy_next_upstream)', async () => {
    const jwks = async () => {
      const res = await client(`${issuer}/jwks`);
      return [res.status, (((await res.json()) as { keys?: unknown[] }).keys?.length ?? 0) > 0];
    };
    // n2 without its database answers 503 (test/operations/databaseDown.test.ts): a stand-in on its port
    // answers as it does, so that the test sees nginx try it and pass the request on.
    await n2.close();
    n2Stopped = true;
    let triedN2 = 0;
    const unavailable = createServer((_req, res) => {
      triedN2++;
      res.writeHead(503, { 'retry-after': '5', 'content-type': 'application/json' });
      res.end('{"error":"server_error"}');
    });
    await new Promise<void>((r) => unavailable.listen(Number(n2.env.PORT), '127.0.0.1', r));
    try {
      for (let i = 0; i < 4; i++) expect(await jwks()).toEqual([200, true]);
      expect(triedN2).toBeGreaterThan(0);
    } finally {
      await new Promise((r) => unavailable.close(r));
    }
    // Nothing listens there now (connection refused).
    for (let i = 0; i < 4; i++) expect(await jwks()).toEqual([200, true]);
    expect((await monitor(`${issuer}/readyz`)).status).toBe(200);
  });
});
