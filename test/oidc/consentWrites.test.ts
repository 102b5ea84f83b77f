import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers/memoryLogger.js';
import {
  authRequest,
  continueToCallback,
  idpWithPerson,
  openLoginPage,
  type Person,
  passwordAndCode,
  registerClient,
  skipPasskeyOffer,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf } from '../helpers/webClient.js';

const CLIENT = 'consent-writes-rp';
const REDIRECT = 'http://127.0.0.1:9/consent-writes';

/** Makes the audit store refuse consent records (a full disk, a lost table: any write that fails). */
async function refuseConsentAudit(t: TestIdp, refuse: boolean): Promise<void> {
  const db = t.idp.db;
  if (t.testDb.engine === 'sqlite') {
    await db.raw(
      refuse
        ? `create trigger refuse_consent_audit before insert on audit_events when new.event = 'consent_granted'
           begin select raise(abort, 'audit store refused'); end`
        : 'drop trigger refuse_consent_audit',
    );
    return;
  }
  if (!refuse) {
    await db.raw('drop trigger refuse_consent_audit on audit_events');
    return;
  }
  await db.raw(`create or replace function refuse_consent_audit() returns trigger language plpgsql as $$
    begin if new.event = 'consent_granted' then raise exception 'audit store refused'; end if; return new; end $$`);
  await db.raw(`create trigger refuse_consent_audit before insert on audit_events for each row
    execute function refuse_consent_audit()`);
}

// A consent's grant, its audit record and the interaction's result are committed together: if one cannot
// be stored, none is, and the person is asked again; no consent takes effect without its record.
describe('a consent whose writes cannot all be stored', () => {
  let t: TestIdp;
  let person: Person;
  const lines: string[] = [];
  // the log's copy of the audit trail: a line only for a record that was stored
  const consentLines = () =>
    lines.map((l) => JSON.parse(l)).filter((l) => l.audit === 'consent_granted' && l.clientId === CLIENT)
      .length;

  beforeAll(async () => {
    ({ t, person } = await idpWithPerson({ idp: { inProcess: true, logger: memoryLogger(lines) } }));
    await registerClient(t, { client_id: CLIENT, redirect_uris: [REDIRECT] });
  });
  afterAll(async () => {
    await t?.close();
  });

  const grantsOfClient = async () =>
    (await t.idp.db('oidc_payloads').where({ type: 'Grant' }).select('payload')).filter(
      (r) => (JSON.parse(String(r.payload)) as { clientId?: string }).clientId === CLIENT,
    ).length;
  const consentAudits = async () =>
    Number(
      (
        await t.idp.db('audit_events').where({ event: 'consent_granted', client_id: CLIENT }).count('* as n')
      )[0]?.n,
    );

  it('[checklist 36] stores nothing of it: no grant, the consent page again, and allowed later with its record', async () => {
    const req = await authRequest(t, { client_id: CLIENT, redirect_uri: REDIRECT, scope: 'openid profile' });
    const login = await openLoginPage(req.url, t);
    const { web } = login;
    const next = new URL(await passwordAndCode(t, login, person), t.issuer).href;
    const { res: page, url: consentUrl } = await web.follow(
      next.endsWith('/passkey-offer') ? await skipPasskeyOffer(web, next) : next,
    );
    const html = await page.text();
    expect(html).toContain('name="decision"');
    const consentUid = consentUrl.match(/\/interaction\/([^/?]+)/)?.[1];

    await refuseConsentAudit(t, true);
    const refused = await web.submit(
      `${t.issuer}/interaction/${consentUid}/consent`,
      { decision: 'allow' },
      csrfOf(html),
    );
    await refuseConsentAudit(t, false);
    expect(refused.status).toBe(500);
    expect(refused.headers.get('location')).toBeNull();
    expect(await grantsOfClient()).toBe(0);
    expect(await consentAudits()).toBe(0);
    expect(consentLines()).toBe(0);

    // The login goes on where it was: the consent is asked again, and this time stored with its record.
    const { callback, consentPages } = await continueToCallback(t, web, consentUrl, {
      redirectUri: REDIRECT,
    });
    expect(consentPages).toHaveLength(1);
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(await grantsOfClient()).toBe(1);
    expect(await consentAudits()).toBe(1);
    expect(consentLines()).toBe(1);
  });
});
