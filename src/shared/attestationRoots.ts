import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The trusted attestation roots of a PEM file (PASSKEY_ATTESTATION_ROOTS): every certificate in it, each a
 * CA certificate within its validity period. A problem is named, never thrown, so the configuration can
 * report every bad setting at once.
 */
export function readAttestationRoots(
  path: string,
  nowMs: number,
): { roots: string[]; problem?: undefined } | { roots?: undefined; problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { problem: `cannot be read (${path})` };
  }
  const roots = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (roots.length === 0) return { problem: `holds no PEM certificate (${path})` };
  for (const [i, pem] of roots.entries()) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      return { problem: `certificate ${i + 1} cannot be parsed (${path})` };
    }
    if (!cert.ca) return { problem: `certificate ${i + 1} is not a CA certificate (${cert.subject})` };
    if (Date.parse(cert.validTo) < nowMs || Date.parse(cert.validFrom) > nowMs)
      return { problem: `certificate ${i + 1} is not valid now (${cert.validFrom} to ${cert.validTo})` };
  }
  return { roots };
}
