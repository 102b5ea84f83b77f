import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeSessionArtifacts } from '../../src/oidc/knexAdapter.js';
import {
  authRequest,
  completeLogin,
  idpWithPerson,
  type StartedLogin,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';

// A browser's authorization request reads its session at the start and saves it again at the end: a
// sign-out of that device answered in between must still hold afterwards.
describe('a device signed out while its authorization request is answered', () => {
  let t: TestIdp;
  let login: StartedLogin;

  beforeAll(async () => {
    const started = await idpWithPerson({ idp: { inProcess: true } });
    t = started.t;
    login = await startLogin(t, started.config, { scope: 'openid profile' });
    await completeLogin(t, login, started.person);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[checklist 19] stays signed out: the request does not store the session again', async () => {
    const session = await t.idp.db('oidc_payloads').where({ type: 'Session' }).first('account_id', 'uid');
    expect(session?.uid).toEqual(expect.any(String));
    let sessionRead = () => {};
    const read = new Promise<void>((resolve) => {
      sessionRead = resolve;
    });
    const listen = (q: { sql: string; bindings?: unknown[] }) => {
      if (q.sql.includes('left join') && q.bindings?.includes('Session')) sessionRead();
    };
    t.idp.db.on('query', listen);
    let answer: Promise<Response> | undefined;
    try {
      // the sign-out's transaction commits after the request read the session, before it saves it
      await t.idp.db.transaction(async (trx) => {
        answer = login.web.request((await authRequest(t, { scope: 'openid profile' })).url.href);
        await read;
        await revokeSessionArtifacts(trx, String(session?.account_id), String(session?.uid));
      });
    } finally {
      t.idp.db.off('query', listen);
    }
    await answer;
    expect(await t.idp.db('oidc_payloads').where({ type: 'Session', uid: session?.uid }).first()).toBe(
      undefined,
    );
    const next = await login.web.request((await authRequest(t, { prompt: 'none' })).url.href);
    const location = new URL(next.headers.get('location') ?? '', t.issuer);
    expect(location.href.startsWith(TEST_CLIENT.redirect_uri)).toBe(true);
    expect(location.searchParams.get('error')).toBe('login_required');
  });
});
