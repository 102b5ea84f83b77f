// A software passkey for request-level tests: it answers Hawiya's WebAuthn options the way a platform
// authenticator does (attestation "none", ES256), and can be told to misbehave: another origin, no user
// verification, a counter going backwards, a replayed answer, a forged signature, packed self-attestation
// claiming any model. Given an attestation certificate and key it answers with packed full attestation.
// Browser journeys use Chromium's own virtual authenticator instead.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** How the enrolment answer is attested: `none`, packed self-attestation, or packed with a certificate chain. */
export type Attestation = 'none' | 'self' | { certificates: Uint8Array[]; privateKey: KeyObject };

interface Options {
  challenge: string;
  rp?: { id?: string };
  rpId?: string;
  user?: { id: string };
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  counter = 0;
  userHandle = '';

  constructor(
    private readonly opts: {
      origin: string;
      rpId: string;
      backupEligible?: boolean;
      /** the model it claims (all zeros by default, as platform authenticators without attestation) */
      aaguid?: string;
    },
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get id(): string {
    return b64(this.credentialId);
  }

  private coseKey(): Uint8Array {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, isoBase64URL.toBuffer(String(jwk.x))],
        [-3, isoBase64URL.toBuffer(String(jwk.y))],
      ]),
    );
  }

  private authData(o: { uv: boolean; counter: number; attested: boolean }): Buffer {
    let flags = UP | (o.uv ? UV : 0);
    if (this.opts.backupEligible) flags |= BE | BS;
    if (o.attested) flags |= AT;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(o.counter);
    const parts = [createHash('sha256').update(this.opts.rpId).digest(), Buffer.from([flags]), counter];
    if (o.attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(this.credentialId.length);
      const aaguid = Buffer.from((this.opts.aaguid ?? '').replace(/-/g, '').padEnd(32, '0'), 'hex');
      parts.push(aaguid, len, this.credentialId, Buffer.from(this.coseKey()));
    }
    return Buffer.concat(parts);
  }

  private clientData(type: string, challenge: string, origin?: string): Buffer {
    return Buffer.from(
      JSON.stringify({ type, challenge, origin: origin ?? this.opts.origin, crossOrigin: false }),
    );
  }

  /** The answer to enrolment options (navigator.credentials.create). */
  register(options: Options, o: { origin?: string; uv?: boolean; attestation?: Attestation } = {}): string {
    this.userHandle = options.user?.id ?? '';
    const authData = this.authData({ uv: o.uv ?? true, counter: this.counter, attested: true });
    const clientData = this.clientData('webauthn.create', options.challenge, o.origin);
    const attestation = o.attestation ?? 'none';
    const attStmt = new Map<string, number | Uint8Array | Uint8Array[]>();
    if (attestation !== 'none') {
      const signed = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
      const by = attestation === 'self' ? this.privateKey : attestation.privateKey;
      attStmt.set('alg', -7);
      attStmt.set('sig', new Uint8Array(sign('sha256', signed, by)));
      if (attestation !== 'self') attStmt.set('x5c', attestation.certificates);
    }
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | typeof attStmt>([
        ['fmt', attestation === 'none' ? 'none' : 'packed'],
        ['attStmt', attStmt],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientData),
        attestationObject: b64(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    });
  }

  /**
   * The answer to sign-in options (navigator.credentials.get); the counter goes up unless told otherwise.
   * `forged`: a signature that is not this key's (an attacker who knows only the credential id).
   */
  assert(
    options: Options,
    o: { origin?: string; uv?: boolean; counter?: number; forged?: boolean } = {},
  ): string {
    this.counter = o.counter ?? this.counter + 1;
    const authData = this.authData({ uv: o.uv ?? true, counter: this.counter, attested: false });
    const clientData = this.clientData('webauthn.get', options.challenge, o.origin);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, createHash('sha256').update(clientData).digest()]),
      this.privateKey,
    );
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientData),
        authenticatorData: b64(authData),
        signature: o.forged ? 'AAAA' : b64(signature),
        userHandle: this.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    });
  }
}
