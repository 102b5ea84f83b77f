import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals authenticator-app secrets at rest with AES-256-GCM under KEYS_ENCRYPTION_KEY (required in
 * production, as for the signing keys), bound to their account; without that key (development, tests) they
 * are stored as they are, marked so. A TOTP secret cannot be hashed: the server needs it to check codes.
 */
export function createSecretBox(encryptionKey: string | undefined) {
  const key = encryptionKey ? Buffer.from(encryptionKey, 'base64url') : undefined;
  return {
    seal(secret: string, accountId: string): string {
      if (!key) return `plain.${secret}`;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(accountId));
      const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return `gcm.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')}`;
    },
    open(stored: string, accountId: string): string {
      if (stored.startsWith('plain.')) return stored.slice(6);
      if (!key || !stored.startsWith('gcm.')) throw new Error('authenticator secret cannot be opened');
      const raw = Buffer.from(stored.slice(4), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(
        Buffer.from(accountId),
      );
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

export type SecretBox = ReturnType<typeof createSecretBox>;
