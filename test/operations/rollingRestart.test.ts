import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createCore } from '../../src/core/createCore.js';
import { createLogger } from '../../src/shared/logger.js';
import { freePort } from '../helpers/freePort.js';
import { nodeEnv, registryPersons, startNode } from '../helpers/hawiyaNodes.js';
import { startSmsCatcher, startSmtpCatcher } from '../helpers/messageCatchers.js';
import type { Person } from '../helpers/oidcLogin.js';
import { startRetryingProxy } from '../helpers/retryingProxy.js';
import type { HawiyaProcess } from '../helpers/startHawiyaProcess.js';
import { createTestDb, type TestDb } from '../helpers/testDb.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Two real nodes (npm start, one process each) on one PostgreSQL, behind a round-robin proxy that passes a
// request to the other node when one refuses the connection or answers 503 (the README's nginx sample).
// While clients read discovery and the JWKS and register and activate accounts (each step on whichever node
// the proxy picks), each node in turn gets SIGTERM, exits 0 and is started again: every request gets a
// success answer, and every activation is in the database.
describe('rolling restart of two nodes under load (PostgreSQL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hawiya-rolling-'));
  let tdb: TestDb;
  const procs: HawiyaProcess[] = [];
  const closers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await Promise.all(closers.map((c) => c.close()));
    await tdb?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM one node, start it again, then the other: no request lost', async () => {
    tdb = await createTestDb('pg');
    const [sms, smtp] = [await startSmsCatcher(), await startSmtpCatcher()];
    closers.push(sms, smtp);
    const persons = await registryPersons(tdb.db, 300, 9);
    const proxyPort = await freePort();
    // One public issuer, one key folder, one database; each node its own ports.
    const shared = { databaseUrl: tdb.url, dir, sms, smtp, issuer: `http://127.0.0.1:${proxyPort}` };
    const envs = [await nodeEnv(shared), await nodeEnv(shared)];
    const ports = envs.map((e) => Number(e.PORT));
    const proxy = await startRetryingProxy(proxyPort, () => ports);
    closers.push(proxy);
    // The first signing keys made once, before the nodes (which would each make them at a first start).
    const core = createCore(loadConfig(envs[0] as Record<string, string>), {
      logger: createLogger({ level: 'silent' }),
    });
    await core.keyStore.ensureKeys();
    await core.close();
    const nodes = await Promise.all(envs.map((env) => startNode(env)));
    procs.push(...nodes);

    const failures: string[] = [];
    let answered = 0;
    const counted: typeof fetch = async (input, init) => {
      const res = await globalThis.fetch(input, init).catch((err: Error) => {
        failures.push(`${init?.method ?? 'GET'} ${String(input)}: ${err.message}`);
        throw err;
      });
      if (res.status >= 400) failures.push(`${init?.method ?? 'GET'} ${String(input)}: ${res.status}`);
      answered++;
      return res;
    };
    const activated: Person[] = [];
    let rolling = true;
    let next = 0;
    const reader = async () => {
      while (rolling) {
        await counted(`${proxy.url}/.well-known/openid-configuration`).catch(() => undefined);
        await counted(`${proxy.url}/jwks`).catch(() => undefined);
      }
    };
    const registrant = async () => {
      while (rolling && next < persons.length) {
        const p = persons[next++] as Person;
        const web = new WebClient({ fetch: counted });
        try {
          const csrf = csrfOf(await (await web.request(`${proxy.url}/register`)).text());
          const mark = sms.mark();
          const form = {
            nationalId: p.nationalId,
            birthDate: p.birthDate,
            username: p.username,
            password: p.password,
          };
          if ((await web.submit(`${proxy.url}/register`, form, csrf)).status !== 303) continue;
          const code = await sms.code(p.mobile, mark, 15_000);
          if ((await web.submit(`${proxy.url}/register/activate`, { code }, csrf)).status === 303)
            activated.push(p);
        } catch {
          // counted above
        }
      }
    };
    const load = [reader(), registrant(), registrant()];

    for (const i of [0, 1]) {
      await sleep(500);
      const node = nodes[i] as HawiyaProcess;
      node.child.kill('SIGTERM');
      expect(await node.exited).toBe(0);
      const restarted = await startNode(envs[i] as Record<string, string>);
      procs.push(restarted);
      nodes[i] = restarted;
    }
    await sleep(500);
    rolling = false;
    await Promise.all(load);

    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(20);
    // The restarts happened under load: requests were passed on while a node was away.
    expect(proxy.retried).toBeGreaterThan(0);
    expect(activated.length).toBeGreaterThan(0);
    const stored = await tdb.db('accounts').whereIn(
      'national_id',
      activated.map((p) => p.nationalId),
    );
    expect(stored).toHaveLength(activated.length);
    for (const node of nodes) {
      node.child.kill('SIGTERM');
      expect(await node.exited).toBe(0);
    }
  }, 180_000);
});
