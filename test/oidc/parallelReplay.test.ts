import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeLogin,
  demoPerson,
  exchange,
  type Person,
  registerAndActivate,
  registerTestClient,
  rpConfig,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// Two copies of one code or refresh token sent at the same moment (a thief racing the client): only one
// may win, on every engine, and the race revokes the family as a sequential replay does.
describe('parallel replay', () => {
  let t: TestIdp;
  let person: Person;
  let config: oidc.Configuration;
  const basic = `Basic ${Buffer.from(`${TEST_CLIENT.client_id}:${TEST_CLIENT.client_secret}`).toString('base64')}`;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t);
    person = await demoPerson(t, '1045238712', 'noura', 'قهوة الصباح مع المطر');
    await registerAndActivate(t, person);
    config = await rpConfig(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const token = (body: Record<string, string>) =>
    t.fetch(`${t.issuer}/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
    });

  it('[checklist 27] one authorization code sent twice at once: exactly one exchange succeeds', async () => {
    for (let round = 0; round < 3; round++) {
      const login = await startLogin(t, config);
      const callback = await completeLogin(t, login, person);
      const body = {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') as string,
        redirect_uri: TEST_CLIENT.redirect_uri,
        code_verifier: login.verifier,
      };
      const results = await Promise.all([token(body), token(body), token(body)]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 400, 400]);
    }
  });

  it('[checklist 29] one refresh token sent twice at once: one wins, and the family is revoked', async () => {
    const login = await startLogin(t, config, { scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await exchange(config, login, await completeLogin(t, login, person));
    const body = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string };
    const results = await Promise.all([token(body), token(body)]);
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    const winner = (await ok[0]?.json()) as { refresh_token: string };
    // The loser's replay ends the family: the winner's new refresh token no longer works either.
    const after = await token({ grant_type: 'refresh_token', refresh_token: winner.refresh_token });
    expect(after.status).toBe(400);
    expect(((await after.json()) as { error: string }).error).toBe('invalid_grant');
  });
});
