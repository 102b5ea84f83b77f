import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttestationCa, createAttestationCa } from '../helpers/attestationCa.js';
import { registerTestClient, rpConfig } from '../helpers/oidcLogin.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { HIGH, passkeySteps } from './passkeySteps.js';

// The attestation policy (R5 of the attack review): with an AAGUID allowlist, only a passkey whose
// attestation chain leads to a configured root gives the high level (checklist 15, 42).

const MODEL = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';

describe('passkey attestation policy', () => {
  let t: TestIdp;
  let config: oidc.Configuration;
  let steps: ReturnType<typeof passkeySteps>;
  let ca: AttestationCa;
  let dir: string;

  beforeAll(async () => {
    ca = await createAttestationCa();
    dir = mkdtempSync(join(tmpdir(), 'hawiya-roots-'));
    writeFileSync(join(dir, 'roots.pem'), ca.rootPem);
    t = await startTestIdp({
      env: { PASSKEY_ALLOWED_AAGUIDS: MODEL, PASSKEY_ATTESTATION_ROOTS: join(dir, 'roots.pem') },
    });
    await registerTestClient(t);
    config = await rpConfig(t);
    steps = passkeySteps(t, () => config);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function model(aaguid = MODEL) {
    return new SoftAuthenticator({ origin: t.issuer, rpId: new URL(t.issuer).hostname, aaguid });
  }

  async function refusals(nationalId: string) {
    const account = await t.idp.db('accounts').where({ national_id: nationalId }).first();
    const rows = await t.idp.db('audit_events').where({ event: 'passkey_refused', account_id: account.id });
    const passkeys = await t.idp.db('passkeys').where({ account_id: account.id });
    return { refused: rows.map((r) => JSON.parse(r.details)), passkeys };
  }

  it('[checklist 42] packed self-attestation claiming an allowed model is refused', async () => {
    const page = await steps.onAccountPage();
    const res = await steps.enrol(page, model(), { attestation: 'self' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('تعذّر التحقق من مفتاح المرور');
    const { refused, passkeys } = await refusals(page.person.nationalId);
    expect(passkeys).toEqual([]);
    expect(refused).toEqual([
      { reason: 'attestation_untrusted', aaguid: MODEL, fmt: 'packed', why: 'self_or_none' },
    ]);
  });

  it('[checklist 42] attestation none, or a model not allowed, is refused', async () => {
    const page = await steps.onAccountPage();
    expect((await steps.enrol(page, model(), { attestation: 'none' })).status).toBe(400);
    const other = '00000000-0000-0000-0000-0000000000aa';
    const res = await steps.enrol(page, model(other), { attestation: await ca.leaf(other) });
    expect(res.status).toBe(400);
    const { refused, passkeys } = await refusals(page.person.nationalId);
    expect(passkeys).toEqual([]);
    expect(refused.map((r) => r.reason)).toEqual(['model_not_allowed', 'model_not_allowed']);
  });

  it('[checklist 42] a chain to another root, even one of the same name, is refused', async () => {
    const impostor = await createAttestationCa();
    const page = await steps.onAccountPage();
    const res = await steps.enrol(page, model(), { attestation: await impostor.leaf(MODEL) });
    expect(res.status).toBe(400);
    const { refused, passkeys } = await refusals(page.person.nationalId);
    expect(passkeys).toEqual([]);
    expect(refused).toEqual([
      { reason: 'attestation_untrusted', aaguid: MODEL, fmt: 'packed', why: 'chain' },
    ]);
  });

  it('[checklist 15] an allowed model attested by a chain to the configured root signs in at the high level', async () => {
    const page = await steps.onAccountPage();
    const key = model();
    expect((await steps.enrol(page, key, { attestation: await ca.leaf(MODEL) })).status).toBe(303);
    const { passkeys } = await refusals(page.person.nationalId);
    expect(passkeys.map((p) => [p.attestation, Boolean(p.attestation_trusted)])).toEqual([['packed', true]]);
    const claims = await steps.signInWith(key, { acr_values: HIGH });
    expect(claims?.acr).toBe(HIGH);
  });
});
