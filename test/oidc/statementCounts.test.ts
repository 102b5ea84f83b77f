import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeLogin,
  exchange,
  idpWithPerson,
  registerClient,
  secretOf,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';

// startTestIdp sets LOSS_REPORT_URL: the loss-report API is this resource indicator.
const LOSS_API = 'http://127.0.0.1:1/loss/api';

// How many SQL statements the hot token routes run (counts, never times: speed is `npm run bench`'s).
// The ceilings are what each route needs: the token with its grant (one statement), the account with its
// person (the client from memory).
describe('SQL statements per token request', () => {
  let t: TestIdp;
  let meta: Record<string, string>;
  let started: Awaited<ReturnType<typeof idpWithPerson>>;
  let tokens: { access_token: string; refresh_token?: string };
  const basic = `Basic ${Buffer.from(`${TEST_CLIENT.client_id}:${TEST_CLIENT.client_secret}`).toString('base64')}`;

  beforeAll(async () => {
    started = await idpWithPerson({ idp: { inProcess: true } });
    t = started.t;
    meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    const login = await startLogin(t, started.config, {
      scope: 'openid profile national_id offline_access',
      prompt: 'consent',
    });
    tokens = await exchange(started.config, login, await completeLogin(t, login, started.person));
  });
  afterAll(async () => {
    await t?.close();
  });

  // Client metadata comes from memory while no client changed: PostgreSQL hears of changes by NOTIFY (no
  // statement), SQLite asks PRAGMA data_version (a counter, no table read) in place of the client read.
  const clientCheck = process.env.TEST_ENGINE === 'pg' ? 0 : 1;

  // the SQL of the last counted run
  let lastSql: string[] = [];
  const joinsAccount = () => lastSql.some((q) => /join "accounts"/.test(q));
  async function counted(run: () => Promise<unknown>): Promise<{ all: number; writes: number }> {
    const seen: string[] = [];
    lastSql = seen;
    // BEGIN, COMMIT and savepoints (a token answer's held writes are one transaction) are not statements
    const listen = (q: { sql: string }) => {
      if (!/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(q.sql)) seen.push(q.sql);
    };
    t.idp.db.on('query', listen);
    try {
      await run();
    } finally {
      t.idp.db.off('query', listen);
    }
    return { all: seen.length, writes: seen.filter((s) => !/^\s*(select|pragma)/i.test(s)).length };
  }
  const statements = (request: () => Promise<Response>) =>
    counted(async () => {
      const res = await request();
      expect(res.status).toBe(200);
      await res.text();
    });
  const userinfo = () =>
    t.fetch(meta.userinfo_endpoint as string, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
  const post = (url: string, body: string) =>
    t.fetch(url, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

  it("userinfo's first read of a grant: the same reads and one write, the release (its level read inside that write)", async () => {
    expect(await statements(userinfo)).toEqual({ all: 1 + clientCheck + 1, writes: 1 });
  });

  it('userinfo read again: 1 read (the token with its grant and its account with the person) and the client check, no write', async () => {
    await (await userinfo()).text();
    expect(await statements(userinfo)).toEqual({ all: 1 + clientCheck, writes: 0 });
    expect(joinsAccount()).toBe(true);
  });

  it('introspection: 1 read (the token as every kind at once, with its grant, no account) and the client check', async () => {
    const introspect = () => post(meta.introspection_endpoint as string, `token=${tokens.access_token}`);
    expect(await statements(introspect)).toEqual({ all: 1 + clientCheck, writes: 0 });
    expect(joinsAccount()).toBe(false);
  });

  it('a rotating refresh: at most 8 statements, 4 of them writes (consume, access token, refresh token, disclosures)', async () => {
    const counted = await statements(() =>
      post(meta.token_endpoint as string, `grant_type=refresh_token&refresh_token=${tokens.refresh_token}`),
    );
    expect(counted.all).toBeLessThanOrEqual(8);
    expect(counted.writes).toBeLessThanOrEqual(4);
  });

  it('a code exchange: at most 9 statements, 4 of them writes (consume, access token, refresh token, disclosures)', async () => {
    const login = await startLogin(t, started.config, { scope: 'openid profile offline_access' });
    const callback = await completeLogin(t, login, started.person);
    const c = await counted(() => exchange(started.config, login, callback));
    expect(c.all).toBeLessThanOrEqual(9);
    expect(c.writes).toBeLessThanOrEqual(4);
  });

  it('a client-credentials grant for an API: no read but the client check, no write (the token is a signed JWT)', async () => {
    await registerClient(t, {
      client_id: 'machine',
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
      scope: 'civil:loss_register.read',
      allowed_resources: [LOSS_API],
    });
    const machine = `Basic ${Buffer.from(`machine:${secretOf('machine')}`).toString('base64')}`;
    const grant = () =>
      t.fetch(meta.token_endpoint as string, {
        method: 'POST',
        headers: { authorization: machine, 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&scope=civil%3Aloss_register.read&resource=${encodeURIComponent(LOSS_API)}`,
      });
    // The first grants after the client was added read it (on PostgreSQL until the change's NOTIFY has
    // arrived, which empties the copy once more); from then on it comes from memory.
    let steady = await statements(grant);
    for (let i = 0; i < 40 && steady.all !== clientCheck; i++) {
      await new Promise((r) => setTimeout(r, 50));
      steady = await statements(grant);
    }
    expect(steady).toEqual({ all: clientCheck, writes: 0 });
  });

  it('discovery and JWKS: none', async () => {
    for (const path of ['/.well-known/openid-configuration', '/jwks'])
      expect(await statements(() => t.fetch(`${t.issuer}${path}`))).toEqual({ all: 0, writes: 0 });
  });
});
