import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLogin, exchange, idpWithPerson, startLogin, TEST_CLIENT } from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';

// A relying party's token check only reads: it must not wait for a write in progress elsewhere (a login
// step's transaction holds SQLite's one write connection across awaits), and it must see a revocation as
// soon as that was answered.
describe('token checks beside writes', () => {
  let t: TestIdp;
  let meta: Record<string, string>;
  let tokens: { access_token: string };
  const basic = `Basic ${Buffer.from(`${TEST_CLIENT.client_id}:${TEST_CLIENT.client_secret}`).toString('base64')}`;
  const form = (url: string, body: string) =>
    t.fetch(url, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  const userinfo = () =>
    t.fetch(meta.userinfo_endpoint as string, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
  const introspect = async () =>
    (await (await form(meta.introspection_endpoint as string, `token=${tokens.access_token}`)).json()) as {
      active: boolean;
    };

  beforeAll(async () => {
    const started = await idpWithPerson({ idp: { inProcess: true } });
    t = started.t;
    meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    const login = await startLogin(t, started.config, { scope: 'openid profile' });
    tokens = await exchange(started.config, login, await completeLogin(t, login, started.person));
    // the first userinfo answer records its disclosure (a write); a check after it only reads
    expect((await userinfo()).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('userinfo and introspection answer while a write transaction is open and waiting for them', async () => {
    const answers = await t.idp.db.transaction(async (trx) => {
      await trx('audit_events').insert({ at: Date.now(), event: 'test.in_progress', details: '{}' });
      const info = await userinfo();
      return {
        userinfo: info.status,
        sub: ((await info.json()) as { sub?: string }).sub,
        introspection: await introspect(),
      };
    });
    expect(answers.userinfo).toBe(200);
    expect(answers.sub).toEqual(expect.any(String));
    expect(answers.introspection.active).toBe(true);
  });

  it('a revoked token is refused by the very next check', async () => {
    expect((await form(meta.revocation_endpoint as string, `token=${tokens.access_token}`)).status).toBe(200);
    expect(await introspect()).toEqual({ active: false });
    expect((await userinfo()).status).toBe(401);
  });
});
