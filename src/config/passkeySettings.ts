// Which passkey models give the high level, and the attestation roots their chains must lead to.

import { readAttestationRoots } from '../shared/attestationRoots.js';
import type { EnvReader } from './envReader.js';

export function readPasskeys(r: EnvReader): { allowedAaguids: string[]; attestationRoots: string[] } {
  const allowedAaguids = (r.raw('PASSKEY_ALLOWED_AAGUIDS') ?? '')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== '');
  for (const a of allowedAaguids) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(a))
      r.problems.push(
        `PASSKEY_ALLOWED_AAGUIDS must list AAGUIDs like 00000000-0000-0000-0000-000000000000 (got "${a}")`,
      );
  }
  const rootsFile = r.raw('PASSKEY_ATTESTATION_ROOTS');
  const roots = rootsFile ? readAttestationRoots(rootsFile, Date.now()) : { roots: [] };
  if (roots.problem) r.problems.push(`PASSKEY_ATTESTATION_ROOTS ${roots.problem}`);
  if (allowedAaguids.length > 0 && !rootsFile)
    r.problems.push('PASSKEY_ALLOWED_AAGUIDS needs PASSKEY_ATTESTATION_ROOTS (a PEM file of trusted roots)');
  if (allowedAaguids.length === 0 && rootsFile)
    r.problems.push('PASSKEY_ATTESTATION_ROOTS is used only with PASSKEY_ALLOWED_AAGUIDS');
  return { allowedAaguids, attestationRoots: [...(roots.roots ?? [])] };
}
