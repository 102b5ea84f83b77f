import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Idp } from '../../src/createIdp.js';
import {
  authRequest,
  continueToCallback,
  idpWithPerson,
  openLoginPage,
  type Person,
  passwordAndCode,
  registerClient,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf } from '../helpers/webClient.js';

const CLIENT = 'withdrawn-consent-rp';
const REDIRECT = 'http://127.0.0.1:9/withdrawn-consent';

// Found by review: the consent submission (POST /interaction/:uid/consent, Hawiya's page app) finds the grant
// and saves it; a withdrawal landing between its find and its commit was undone by the save (an upsert),
// since the page app's requests had no request scope for the storage to know the grant was found there.
describe('a consent withdrawn while a consent submission is being made', () => {
  let t: TestIdp;
  let person: Person;
  beforeAll(async () => {
    ({ t, person } = await idpWithPerson({ idp: { inProcess: true } }));
    await registerClient(t, { client_id: CLIENT, redirect_uris: [REDIRECT] });
  });
  afterAll(async () => {
    await t?.close();
  });

  const grantRows = async () =>
    (await t.idp.db('oidc_payloads').where({ type: 'Grant' }).select('id', 'payload')).filter(
      (r) => (JSON.parse(String(r.payload)) as { clientId?: string }).clientId === CLIENT,
    );

  it('[checklist 36] stays withdrawn: the submission does not bring the grant back', async () => {
    // 1. a first consent: openid
    const first = await authRequest(t, { client_id: CLIENT, redirect_uri: REDIRECT, scope: 'openid' });
    const login = await openLoginPage(first.url, t);
    const { web } = login;
    const afterLogin = new URL(await passwordAndCode(t, login, person), t.issuer).href;
    await continueToCallback(t, web, afterLogin, { redirectUri: REDIRECT });
    const [granted] = await grantRows();
    expect(granted).toBeDefined();
    const grantId = String(granted?.id);

    // 2. the client asks for more: the consent page for the missing scope, under the same grant
    const second = await authRequest(t, {
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      scope: 'openid profile',
    });
    const { res: page, url: consentUrl } = await web.follow(second.url.href);
    const html = await page.text();
    expect(html).toContain('name="decision"');
    const uid = consentUrl.match(/\/interaction\/([^/?]+)/)?.[1];

    // 3. the person withdraws the consent on the account page just after the submission read the grant
    const provider = t.idp.provider();
    const original = provider.Grant.find;
    const find = original.bind(provider.Grant);
    let withdrawn = false;
    provider.Grant.find = (async (id: string, ...rest: unknown[]) => {
      const found = await (find as (...a: unknown[]) => Promise<unknown>)(id, ...rest);
      if (id === grantId && !withdrawn) {
        withdrawn = true;
        const revoked = await (t.idp as unknown as Idp).core.grants.revoke(
          String(granted && JSON.parse(String(granted.payload)).accountId),
          id,
        );
        expect(revoked).toBeTruthy();
      }
      return found;
    }) as unknown as typeof provider.Grant.find;
    const consentsAudited = async () =>
      Number(
        (
          await t.idp
            .db('audit_events')
            .where({ event: 'consent_granted', client_id: CLIENT })
            .count('* as n')
        )[0]?.n,
      );
    const auditedBefore = await consentsAudited();
    try {
      const submitted = await web.submit(
        `${t.issuer}/interaction/${uid}/consent`,
        { decision: 'allow' },
        csrfOf(html),
      );
      // a clear page, in the person's language: this sign-in ended, go back to the service and start again
      expect(submitted.status).toBe(409);
      expect(await submitted.text()).toContain('انتهت صلاحية طلب الدخول');
    } finally {
      provider.Grant.find = original;
    }
    expect(withdrawn).toBe(true);

    // the withdrawn grant must not be back (the commit's own promise for a consent request)
    const after = await grantRows();
    expect(
      after.filter((r) => r.id === grantId).map((r) => JSON.parse(String(r.payload)).openid),
      'the withdrawn grant, as stored after the consent submission',
    ).toEqual([]);
    // and nothing of the answer was stored: no consent_granted for a consent that does not exist
    expect(await consentsAudited()).toBe(auditedBefore);
  });
});
