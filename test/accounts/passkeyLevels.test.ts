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

// What an attacker's review found in the passkey levels (R4, R9): each test replays the attack.

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

  it('[checklist 16] a synced passkey never signs in to a client whose minimum is high; a device-bound one does', async () => {
    const page = await steps.onAccountPage();
    const synced = steps.key(true);
    const bound = steps.key();
    expect((await steps.enrol(page, synced)).status).toBe(303);
    expect((await steps.enrol(page, bound)).status).toBe(303);

    const login = await startLogin(t, highConfig);
    const res = await steps.submitPasskey(login, synced.assert(await steps.passkeyOptions(login)));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('تطلب هذه الخدمة مفتاح مرور محفوظاً في جهازك');
    expect(await refusedLevel(page.person.nationalId)).toEqual([
      { reason: 'level_unreachable', acr: STANDARD, required: HIGH },
    ]);

    // The same login goes on with the passkey that reaches the level.
    const again = await steps.submitPasskey(login, bound.assert(await steps.passkeyOptions(login)));
    expect(again.status).toBe(303);
    const callback = await followToClient(t, login, again.headers.get('location') ?? '');
    const tokens = await exchange(highConfig, login, callback);
    expect(tokens.claims()?.acr).toBe(HIGH);
  });

  it('[checklist 16] acr_values=high with a synced passkey is refused, after a password too', async () => {
    const page = await steps.onAccountPage();
    const synced = steps.key(true);
    expect((await steps.enrol(page, synced)).status).toBe(303);

    const passwordless = await startLogin(t, config, { acr_values: HIGH });
    const res = await steps.submitPasskey(
      passwordless,
      synced.assert(await steps.passkeyOptions(passwordless)),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('تطلب هذه الخدمة');

    // After the password, a high request with only a synced passkey is told at once (no code, no passkey).
    const login = await startLogin(t, config, { acr_values: HIGH });
    const pw = await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/login`,
      { identifier: page.person.nationalId, password: page.person.password },
      login.csrf,
    );
    expect(pw.status).toBe(400);
    expect(await pw.text()).toContain('تطلب هذه الخدمة');
  });

  it('[checklist 16] a login result below the client minimum ends in unmet_authentication_requirements, never a code', async () => {
    // Whatever login action hands oidc-provider a lower level, the provider itself refuses to issue a code.
    const page = await steps.onAccountPage();
    const account = await t.idp.db('accounts').where({ national_id: page.person.nationalId }).first();
    const login = await startLogin(t, highConfig);
    const provider = t.idp.provider();
    const interaction = await provider.Interaction.find(login.uid);
    if (!interaction) throw new Error('no interaction');
    interaction.result = { login: { accountId: account.id, acr: STANDARD, amr: ['pwd', 'sms'] } };
    await interaction.save(Math.max(1, (interaction.exp ?? 0) - Math.floor(Date.now() / 1000)));
    const callback = await followToClient(t, login, interaction.returnTo);
    expect(callback.searchParams.get('error')).toBe('unmet_authentication_requirements');
    expect(callback.searchParams.get('code')).toBeNull();
    await expect(exchange(highConfig, login, callback)).rejects.toThrow();
  });

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
