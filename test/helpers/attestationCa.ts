// A test attestation CA: a root certificate (what an operator puts in PASSKEY_ATTESTATION_ROOTS) and leaf
// attestation certificates it signs for a model (AAGUID), as an authenticator maker's would be.
import { KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** id-fido-gen-ce-aaguid: the model a FIDO attestation certificate vouches for */
const AAGUID_EXTENSION = '1.3.6.1.4.1.45724.1.1.4';
const DAY = 24 * 3600 * 1000;

export interface AttestationCa {
  /** the root certificate, PEM */
  rootPem: string;
  /** a leaf attestation certificate for a model and its private key (for SoftAuthenticator's attestation) */
  leaf(aaguid: string): Promise<{ certificates: Uint8Array[]; privateKey: KeyObject }>;
}

async function keys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** A new root CA named `name` (two CAs may share a name: only the key tells them apart). */
export async function createAttestationCa(name = 'CN=Hawiya Test Attestation Root, O=Hawiya Test, C=SA') {
  const rootKeys = await keys();
  const now = Date.now();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    signingAlgorithm: ALG,
    keys: rootKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  let serial = 1;
  const ca: AttestationCa = {
    rootPem: root.toString('pem'),
    async leaf(aaguid: string) {
      const leafKeys = await keys();
      serial += 1;
      const model = Buffer.from(aaguid.replace(/-/g, ''), 'hex');
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial.toString(16).padStart(2, '0'),
        subject: 'C=SA, O=Hawiya Test, OU=Authenticator Attestation, CN=Test Security Key',
        issuer: root.subject,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 365 * DAY),
        signingAlgorithm: ALG,
        publicKey: leafKeys.publicKey,
        signingKey: rootKeys.privateKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
          // the extension's value is an OCTET STRING holding the 16-byte AAGUID
          new x509.Extension(AAGUID_EXTENSION, false, Buffer.concat([Buffer.from([0x04, 0x10]), model])),
        ],
      });
      return {
        certificates: [new Uint8Array(cert.rawData)],
        privateKey: KeyObject.from(leafKeys.privateKey as webcrypto.CryptoKey),
      };
    },
  };
  return ca;
}
