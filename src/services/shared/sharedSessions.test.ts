import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingNotifier } from '../../../test/helpers/recordingNotifier.js';
import { type StandInIdp, startStandInIdp } from '../../../test/helpers/standInIdp.js';
import { createTestDb, ENGINES, type TestDb } from '../../../test/helpers/testDb.js';
import { WebClient } from '../../../test/helpers/webClient.js';
import { createLogger } from '../../shared/logger.js';
import { lossReportService } from '../loss-report/lossReportService.js';
import { createRpApp } from './createRpApp.js';

const CLIENT_ID = 'loss-report';
const SECRET = 'test-client-secret-0123456789abcdef0123';
const PUBLIC_URL = 'http://localhost:3001';

interface Instance {
  base: string;
  close(): Promise<void>;
}

describe.each(ENGINES)('service sessions live in the database (%s)', (engine) => {
  let idp: StandInIdp;
  let tdb: TestDb;
  const open: Instance[] = [];

  /** One process of the loss-report service: its own app, the shared database. */
  async function startInstance(): Promise<Instance> {
    const { app } = createRpApp({
      service: lossReportService,
      db: tdb.db,
      baseUrl: PUBLIC_URL,
      issuer: idp.issuer,
      clientSecret: SECRET,
      logger: createLogger({ level: 'silent' }),
      notifier: recordingNotifier().notifier,
    });
    const server: Server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const instance = {
      base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
    open.push(instance);
    return instance;
  }

  beforeAll(async () => {
    idp = await startStandInIdp({ clientId: CLIENT_ID, clientSecret: SECRET, publicUrl: PUBLIC_URL });
    tdb = await createTestDb(engine);
  });

  afterAll(async () => {
    for (const i of open) await i.close();
    await idp?.close();
    await tdb?.destroy();
  });

  const home = async (web: WebClient, instance: Instance) =>
    (await web.request(`${instance.base}/?lang=en`)).text();

  it('[checklist 19] a session survives a restart, is shared by two processes, and back-channel logout ends it in both', async () => {
    const a = await startInstance();
    const b = await startInstance();
    const web = new WebClient();

    // Sign-in starts at one process and the callback lands on the other (a load balancer in between).
    const start = await web.request(`${a.base}/login`);
    expect(start.status).toBe(302);
    const auth = new URL(start.headers.get('location') ?? '');
    const code = idp.approve(auth);
    const callback = await web.request(
      `${b.base}/callback?code=${code}&state=${auth.searchParams.get('state')}`,
    );
    expect(callback.status).toBe(303);

    expect(await home(web, a)).toContain('Welcome, Sara Alotaibi');
    expect(await home(web, b)).toContain('Welcome, Sara Alotaibi');

    // A restart of the first process signs nobody out.
    await a.close();
    const restarted = await startInstance();
    expect(await home(web, restarted)).toContain('Welcome, Sara Alotaibi');

    // Hawiya tells one process that the session ended: it is over in every process.
    const logout = await fetch(`${b.base}/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        logout_token: await idp.logoutToken({ sub: 'citizen-1', sid: 'idp-sid-1' }),
      }),
    });
    expect(logout.status).toBe(200);
    expect(await home(web, restarted)).toContain('Sign in with Hawiya');
    expect(await home(web, b)).toContain('Sign in with Hawiya');
  });

  it('[checklist 19] a pending sign-in is single use across processes: the callback replayed at another one fails', async () => {
    const a = await startInstance();
    const b = await startInstance();
    const web = new WebClient();
    const start = await web.request(`${a.base}/login`);
    const auth = new URL(start.headers.get('location') ?? '');
    const code = idp.approve(auth);
    const login = web.cookie('loss-report.login') ?? '';
    const path = `/callback?code=${code}&state=${auth.searchParams.get('state')}`;
    const cookie = `loss-report.login=${login}`;
    expect((await fetch(`${a.base}${path}`, { redirect: 'manual', headers: { cookie } })).status).toBe(303);
    const replay = await fetch(`${b.base}${path}`, { redirect: 'manual', headers: { cookie } });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('This sign-in request has expired');
  });
});
