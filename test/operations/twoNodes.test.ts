import { decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { freePort } from '../helpers/freePort.js';
import { type HttpBalancer, startHttpBalancer } from '../helpers/httpBalancer.js';
import {
  demoPerson,
  loginToCallback,
  openLoginPage,
  type Person,
  registerAndActivate,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';

// Two IdP nodes and two processes of the loss-report service on ONE PostgreSQL database, each pair behind a
// load balancer that sends each request to the next process in turn. They are separate servers on their
// own ports, started in this test process (real processes would add seconds of start-up and prove nothing
// more: they share nothing but the database and the key files, as separate machines would).

const field = (html: string, name: string) =>
  new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '';

async function waitFor(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('two IdP nodes and two service processes on one PostgreSQL', () => {
  let n1: TestIdp;
  let n2: TestIdp;
  let idpLb: HttpBalancer;
  let lossLb: HttpBalancer;
  let s1: RunningServices;
  let s2: RunningServices;
  /** the public IdP: the test's view of n1 with the balancer's URL as issuer (codes reach n1's catchers) */
  let idp: TestIdp;
  let lossUrl: string;
  let sarah: Person;
  let reference = '';
  const nodeUrl = (t: TestIdp) => `http://127.0.0.1:${t.env.PORT}`;
  const serviceUrl = (s: RunningServices) => s.byId['loss-report'].url;

  beforeAll(async () => {
    const [idpPort, lossPort] = [await freePort(), await freePort()];
    lossUrl = `http://127.0.0.1:${lossPort}`;
    const shared = {
      ISSUER: `http://127.0.0.1:${idpPort}`,
      LOSS_REPORT_URL: lossUrl,
      REPLACEMENT_URL: `http://127.0.0.1:${await freePort()}`,
      KEYS_MIN_PUBLISH_SECONDS: '0',
    };
    n1 = await startTestIdp({ engine: 'pg', env: shared });
    // The same key files, and every code to n1's SMTP server and SMS gateway.
    const pick = ['KEYS_DIR', 'SMTP_URL', 'SMS_GATEWAY_URL', 'SMS_GATEWAY_TOKEN'];
    const fromN1 = Object.fromEntries(pick.map((name) => [name, String(n1.env[name])]));
    n2 = await startTestIdp({
      engine: 'pg',
      databaseUrl: () => n1.env.DATABASE_URL as string,
      env: { ...shared, ...fromN1 },
    });
    idpLb = await startHttpBalancer(idpPort, [nodeUrl(n1), nodeUrl(n2)]);
    idp = { ...n1, issuer: shared.ISSUER };
    const config = loadConfig(n1.env);
    s1 = await startServices(config, {
      ports: { 'loss-report': await freePort(), replacement: await freePort() },
    });
    s2 = await startServices(config, {
      ports: { 'loss-report': await freePort(), replacement: await freePort() },
    });
    lossLb = await startHttpBalancer(lossPort, [serviceUrl(s1), serviceUrl(s2)]);
    sarah = await demoPerson(n1, '1123987453', 'sarah', 'the desert stars at midnight');
    await registerAndActivate(idp, sarah);
  });
  afterAll(async () => {
    await lossLb?.close();
    await Promise.all([s1?.close(), s2?.close()]);
    await idpLb?.close();
    await n2?.close();
    await n1?.close();
  });

  /** Signs in through the loss-report service (pinned to process `via`), every IdP request alternating nodes. */
  async function signIn(via: number): Promise<WebClient> {
    const web = new WebClient();
    lossLb.pin(via);
    const before = [...idpLb.served];
    const start = await web.request(`${lossUrl}/login`);
    const login = await openLoginPage(start.headers.get('location') ?? '', web);
    const { callback } = await loginToCallback(idp, login, sarah, { redirectUri: `${lossUrl}/callback` });
    expect((await web.request(callback.href)).status).toBe(303);
    // Both nodes served this login: it started on one and finished on the other.
    expect(idpLb.served[0]).toBeGreaterThan(before[0] ?? 0);
    expect(idpLb.served[1]).toBeGreaterThan(before[1] ?? 0);
    return web;
  }

  it('a login crosses the nodes; a report filed through service process 1 shows in "My reports" through process 2', async () => {
    const web = await signIn(0);
    const details = await web.request(
      `${lossUrl}/reports/new/details?documentType=birth_certificate&lang=en`,
    );
    expect(details.status).toBe(200);
    const html = await details.text();
    const confirm = await web.submit(
      `${lossUrl}/reports/new/details`,
      {
        documentType: 'birth_certificate',
        holderNationalId: field(html, 'holderNationalId'),
        holderName: field(html, 'holderName'),
      },
      csrfOf(html),
    );
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    const done = await web.submit(
      `${lossUrl}/reports/new/confirm`,
      {
        documentType: field(confirmHtml, 'documentType'),
        holderNationalId: field(confirmHtml, 'holderNationalId'),
        holderName: field(confirmHtml, 'holderName'),
        answer: 'yes',
      },
      csrfOf(confirmHtml),
    );
    expect(done.status).toBe(303);
    reference = /LR\d{10}/.exec(done.headers.get('location') ?? '')?.[0] ?? '';
    expect(reference).not.toBe('');
    expect(lossLb.served).toEqual([expect.any(Number), 0]);

    lossLb.pin(1);
    const home = await web.request(`${lossUrl}/?lang=en`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(reference);
    expect(lossLb.served[1]).toBeGreaterThan(0);
  });

  it('after "keys rotate --now" tokens signed by either node verify at both service processes', async () => {
    const jwks = async (t: TestIdp) =>
      ((await (await fetch(`${nodeUrl(t)}/jwks`)).json()) as { keys: JWK[] }).keys.map((k) => k.kid);
    const signing = async () =>
      (await n1.idp.keyStore.repo.list()).find((k) => k.alg === 'ES256' && k.state === 'current')?.kid;
    const oldKid = await signing();
    expect(await runCli(['node', 'hawiya', 'keys', 'rotate', '--now'], n1.env)).toBe(0);
    const current = await signing();
    // Both nodes are notified at once (or by their 2-second poll).
    for (const t of [n1, n2])
      await waitFor('the node publishes the new key', async () => (await jwks(t)).includes(current ?? '-'));
    expect(await jwks(n2)).not.toContain(oldKid);

    // Signed by each node directly (oidc-provider's own JWT access token for this person and the API),
    // presented to each service process directly.
    const accountId = (await n1.idp.db('accounts').where({ username: 'sarah' }).first()).id as string;
    const signedBy = async (t: TestIdp) => {
      const provider = t.idp.provider();
      const token = new provider.AccessToken({
        accountId,
        client: await provider.Client.find('loss-report'),
        scope: 'civil:loss_report',
        resourceServer: {
          audience: `${lossUrl}/api`,
          scope: 'civil:loss_report',
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: 'ES256' } },
        },
      } as unknown as ConstructorParameters<typeof provider.AccessToken>[0]);
      return token.save();
    };
    for (const t of [n1, n2]) {
      const token = await signedBy(t);
      expect(decodeProtectedHeader(token).kid).toBe(current);
      for (const s of [s1, s2]) {
        // A service fetches the JWKS again for a key it does not know, at most once a second.
        let res: Response | undefined;
        await waitFor('the service accepts the token', async () => {
          res = await fetch(`${serviceUrl(s)}/api/reports`, {
            headers: { authorization: `Bearer ${token}` },
          });
          return res.status !== 401;
        });
        expect(res?.status).toBe(200);
        expect(JSON.stringify(await res?.json())).toContain(reference);
      }
    }

    // And a person signing in after the rotation (through process 2, alternating IdP nodes) sees the report
    // through both processes: each page calls its API with the new tokens.
    const web = await signIn(1);
    for (const via of [0, 1]) {
      lossLb.pin(via);
      const home = await web.request(`${lossUrl}/?lang=en`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain(reference);
    }
  });

  it('after "keys rotate --now --revoke" the person is signed out at both service processes (back-channel logout)', async () => {
    const web = await signIn(0);
    const signedIn = async (via: number) => {
      lossLb.pin(via);
      return (await (await web.request(`${lossUrl}/?lang=en`)).text()).includes('action="/logout"');
    };
    expect([await signedIn(0), await signedIn(1)]).toEqual([true, true]);
    const sessionIats = async () =>
      (await n1.idp.db('oidc_payloads').where({ type: 'Session' }).select('payload')).map(
        (r) => JSON.parse(r.payload).iat as number,
      );
    const compromised = (await n1.idp.keyStore.repo.list()).find(
      (k) => k.alg === 'ES256' && k.state === 'current',
    );
    const since = Math.floor((compromised?.activatedAt ?? 0) / 1000);
    expect((await sessionIats()).filter((iat) => iat >= since).length).toBeGreaterThan(0);

    const toldEnded = async () =>
      Number((await s1.db('service_ended_sessions').count({ n: '*' }))[0]?.n ?? 0);
    const toldBefore = await toldEnded();

    lossLb.pin(undefined);
    expect(await runCli(['node', 'hawiya', 'keys', 'rotate', '--now', '--revoke'], n1.env)).toBe(0);
    // The service heard it by back-channel logout (not only by its old token failing at its API).
    expect(await toldEnded()).toBeGreaterThan(toldBefore);
    // The sessions created while the compromised key signed are gone at Hawiya, and the
    // service was told: whichever process got the logout token, both see it (their sessions are in the
    // database).
    const left = await sessionIats();
    expect(left.filter((iat) => iat >= since)).toEqual([]);
    expect([await signedIn(0), await signedIn(1)]).toEqual([false, false]);
  });
});
