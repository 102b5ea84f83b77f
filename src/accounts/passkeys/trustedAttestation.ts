/**
 * Whether an enrolment's attestation (already verified by @simplewebauthn/server: signature by the first
 * certificate, its fields and AAGUID extension) has a certificate chain that leads to one of `roots`.
 * Self-attestation (no x5c) and `none` never do (checklist 42). The roots are passed here rather than set
 * in the library's process-wide SettingsService, which skips the path check for a format without roots.
 */
export async function trustedAttestation(
  attestationObject: Uint8Array<ArrayBuffer>,
  roots: readonly string[],
): Promise<{ trusted: true; why?: undefined } | { trusted: false; why: string }> {
  if (roots.length === 0) return { trusted: false, why: 'no_roots' };
  // Loaded here, with the first enrolment that needs it (see webauthn() in createPasskeys.ts).
  const { convertCertBufferToPEM, decodeAttestationObject, validateCertificatePath } = await import(
    '@simplewebauthn/server/helpers'
  );
  const x5c = decodeAttestationObject(attestationObject).get('attStmt').get('x5c');
  if (!x5c || x5c.length === 0) return { trusted: false, why: 'self_or_none' };
  try {
    await validateCertificatePath(x5c.map(convertCertBufferToPEM), [...roots]);
    return { trusted: true };
  } catch {
    return { trusted: false, why: 'chain' };
  }
}
