import { describe, expect, it } from 'vitest';
import { passkeyFactor } from './passkeyFactor.js';

const MODEL = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
const base = {
  backupEligible: false,
  backupEligibleNow: false,
  attestation: 'none',
  attestationTrusted: false,
  aaguid: MODEL,
};

describe('passkeyFactor', () => {
  it('[checklist 15] a device-bound passkey (BE=0) proves the high-level factor', () => {
    expect(passkeyFactor({ ...base, policy: { allowedAaguids: [] } })).toBe('passkey-bound');
  });

  it('[checklist 15] a synced passkey (BE=1, at enrolment or in the assertion) is never high', () => {
    expect(passkeyFactor({ ...base, backupEligible: true, policy: { allowedAaguids: [] } })).toBe('passkey');
    expect(passkeyFactor({ ...base, backupEligibleNow: true, policy: { allowedAaguids: [] } })).toBe(
      'passkey',
    );
  });

  it('[checklist 42] with the attestation policy on, only an allowed model attested to a trusted root is high', () => {
    const policy = { allowedAaguids: [MODEL] };
    const attested = { ...base, attestation: 'packed', attestationTrusted: true, policy };
    expect(passkeyFactor({ ...base, policy })).toBe('passkey');
    expect(passkeyFactor(attested)).toBe('passkey-bound');
    // packed self-attestation (no chain to a root) claiming the allowed model
    expect(passkeyFactor({ ...attested, attestationTrusted: false })).toBe('passkey');
    expect(passkeyFactor({ ...attested, aaguid: MODEL.replace('c', 'd') })).toBe('passkey');
  });
});
