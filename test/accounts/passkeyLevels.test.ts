import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exchange,
  followToClient,
  registerClient,
  registerTestClient,
  rpConfig,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { HIGH, passkeySteps, STANDARD } from './passkeySteps.js';

// What an attacker's review found in passkey sign-in (R9): each test replays the attack.

const HIGH_RP = 'high-rp';

describe('passkey levels', () => {
  let t: TestIdp;
  let config: oidc.Configuration;
  let highConfig: oidc.Configuration;
  let steps: ReturnType<typeof passkeySteps>;

  beforeAll(async () => {
    t = await startTestIdp();
    await registerTestClient(t);
    await registerClient(t, {
      client_id: HIGH_RP,
      client_secret: `${HIGH_RP}-secret-0123456789abcdefghijklmnop`,
      organization_type: 'government',
      redirect_uris: [TEST_CLIENT.redirect_uri],
      min_acr: HIGH,
    });
    config = await rpConfig(t);
    highConfig = await rpConfig(t, HIGH_RP, `${HIGH_RP}-secret-0123456789abcdefghijklmnop`);
    steps = passkeySteps(t, () => config);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function refusedLevel(accountNationalId: string) {
    const account = await t.idp.db('accounts').where({ national_id: accountNationalId }).first();
    const rows = await t.idp.db('audit_events').where({ event: 'passkey_refused', account_id: account.id });
    return rows.map((r) => JSON.parse(r.details)).filter((d) => d.reason === 'level_unreachable');
  }

  it('[checklist 41] a forged assertion with counter 0 is refused without a clone alarm; a real clone still raises one', async () => {
    const page = await steps.onAccountPage();
    const device = steps.key();
    await steps.enrol(page, device);
    await steps.signInWith(device);
    await steps.signInWith(device);
    const account = await t.idp.db('accounts').where({ national_id: page.person.nationalId }).first();
    const alarms = () =>
      t.idp.db('audit_events').where({ event: 'passkey_counter_regressed', account_id: account.id });

    const forged = await startLogin(t, config);
    const res = await steps.submitPasskey(
      forged,
      device.assert(await steps.passkeyOptions(forged), { counter: 0, forged: true }),
    );
    expect(res.status).toBe(400);
    expect(await alarms()).toEqual([]);
    const refused = await t.idp
      .db('audit_events')
      .where({ event: 'passkey_refused', account_id: account.id })
      .orderBy('id', 'desc')
      .first();
    expect(JSON.parse(refused.details).reason).toBe('verification');

    const cloned = await startLogin(t, config);
    const clone = await steps.submitPasskey(
      cloned,
      device.assert(await steps.passkeyOptions(cloned), { counter: 1 }),
    );
    expect(clone.status).toBe(400);
    expect((await alarms()).map((a) => JSON.parse(a.details))).toEqual([
      { reason: 'counter', stored: 2, got: 1 },
    ]);
  });
});
