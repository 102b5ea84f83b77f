import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHawiya } from '../cli/runHawiya.js';
import { registerTestClient, TEST_CLIENT } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The server keeps client metadata in memory: a change the admin CLI commits from another process must
// still be refused from the very next request (SQLite: PRAGMA data_version; PostgreSQL: the trigger's NOTIFY).
describe('client changes made by the CLI reach a running server at once', () => {
  let t: TestIdp;
  let introspectionEndpoint: string;

  const introspect = (secret: string) =>
    t.fetch(introspectionEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${TEST_CLIENT.client_id}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'token=not-a-token',
    });
  const cli = (...args: string[]) => runHawiya(args, t.env);

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t);
    const meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    introspectionEndpoint = meta.introspection_endpoint as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a rotated secret: the old one is refused, the new one accepted; a removed client is refused', async () => {
    // authenticated twice: the second time from memory
    for (let i = 0; i < 2; i++) expect((await introspect(TEST_CLIENT.client_secret)).status).toBe(200);

    const rotated = await cli('clients', 'rotate-secret', TEST_CLIENT.client_id, '--json');
    expect(rotated.code, rotated.stderr).toBe(0);
    const secret = JSON.parse(rotated.stdout).client_secret as string;
    const old = await introspect(TEST_CLIENT.client_secret);
    expect(old.status).toBe(401);
    expect((await old.json()).error).toBe('invalid_client');
    for (let i = 0; i < 2; i++) expect((await introspect(secret)).status).toBe(200);

    const removed = await cli('clients', 'remove', TEST_CLIENT.client_id);
    expect(removed.code, removed.stderr).toBe(0);
    const gone = await introspect(secret);
    expect(gone.status).toBe(401);
    expect((await gone.json()).error).toBe('invalid_client');
  });

  it('a client registered by the server process itself is found at once, and its change seen', async () => {
    await registerTestClient(t, { client_id: 'second-rp' });
    const basic = (secret: string) => ({
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`second-rp:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'token=not-a-token',
    });
    expect((await t.fetch(introspectionEndpoint, basic(TEST_CLIENT.client_secret))).status).toBe(200);
    await registerTestClient(t, {
      client_id: 'second-rp',
      client_secret: 'another-secret-0123456789abcdefghij',
    });
    expect((await t.fetch(introspectionEndpoint, basic(TEST_CLIENT.client_secret))).status).toBe(401);
    expect((await t.fetch(introspectionEndpoint, basic('another-secret-0123456789abcdefghij'))).status).toBe(
      200,
    );
  });
});
