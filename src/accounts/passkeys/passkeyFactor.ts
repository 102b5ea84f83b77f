import { boundPasskey, syncedPasskey } from '../login/factors/passkey.js';

/** Which authenticator models may give the high level (empty: any device-bound passkey, attestation `none`). */
export interface AttestationPolicy {
  /** AAGUIDs of the allowed models; when set, enrolment asks for attestation and only these are accepted */
  allowedAaguids: readonly string[];
  /** PEM CA certificates an attestation chain must lead to (set with allowedAaguids) */
  trustedRoots: readonly string[];
}

/**
 * The factor a passkey proves when used (checklist 15): device-bound (BE=0 at enrolment and now) and, when
 * the attestation policy is on, attested as an allowed model by a chain to a trusted root (checklist 42:
 * never self or `none` attestation) gives the high level; a synced passkey never.
 */
export function passkeyFactor(opts: {
  backupEligible: boolean;
  /** the BE flag of the assertion being checked */
  backupEligibleNow: boolean;
  attestation: string;
  attestationTrusted: boolean;
  aaguid: string;
  policy: Pick<AttestationPolicy, 'allowedAaguids'>;
}): typeof boundPasskey.name | typeof syncedPasskey.name {
  if (opts.backupEligible || opts.backupEligibleNow) return syncedPasskey.name;
  const { allowedAaguids } = opts.policy;
  if (allowedAaguids.length === 0) return boundPasskey.name;
  const attested =
    opts.attestationTrusted &&
    opts.attestation !== 'none' &&
    allowedAaguids.includes(opts.aaguid.toLowerCase());
  return attested ? boundPasskey.name : syncedPasskey.name;
}
