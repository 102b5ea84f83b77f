import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { HawiyaError } from '../shared/errors.js';

export class KeyUnreadable extends HawiyaError {
  constructor(
    readonly kid: string,
    readonly why: string,
  ) {
    super('key_unreadable', 500, { kid, why });
    this.message = `signing key ${kid} cannot be read: ${why}`;
  }
}

interface SealedFile {
  enc: 'A256GCM';
  iv: string;
  tag: string;
  data: string;
}

/** Private JWKs, one file per key id, mode 0600; sealed with AES-256-GCM when a key-encryption key is set. */
export function createKeyFiles(opts: { dir: string; encryptionKey?: string }) {
  const kek = opts.encryptionKey ? Buffer.from(opts.encryptionKey, 'base64url') : undefined;
  const pathOf = (kid: string) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(kid)) throw new KeyUnreadable(kid, 'bad key id');
    return join(opts.dir, `${kid}.json`);
  };

  return {
    write(kid: string, jwk: JWK): void {
      mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
      let body = JSON.stringify(jwk);
      if (kek) {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', kek, iv);
        cipher.setAAD(Buffer.from(kid));
        const data = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
        const sealed: SealedFile = {
          enc: 'A256GCM',
          iv: iv.toString('base64url'),
          tag: cipher.getAuthTag().toString('base64url'),
          data: data.toString('base64url'),
        };
        body = JSON.stringify(sealed);
      }
      // Write then rename: a reader never sees half a key.
      const tmp = `${pathOf(kid)}.${process.pid}.tmp`;
      writeFileSync(tmp, body, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, pathOf(kid));
    },

    read(kid: string): JWK {
      const path = pathOf(kid);
      if (!existsSync(path)) throw new KeyUnreadable(kid, `no file ${path}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        throw new KeyUnreadable(kid, `unreadable file ${path}: ${(err as Error).message}`);
      }
      const sealed = parsed as Partial<SealedFile>;
      if (sealed.enc === 'A256GCM') {
        if (!kek) throw new KeyUnreadable(kid, 'the file is encrypted and KEYS_ENCRYPTION_KEY is not set');
        try {
          const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv ?? '', 'base64url'));
          decipher.setAAD(Buffer.from(kid));
          decipher.setAuthTag(Buffer.from(sealed.tag ?? '', 'base64url'));
          const plain = Buffer.concat([
            decipher.update(Buffer.from(sealed.data ?? '', 'base64url')),
            decipher.final(),
          ]);
          return JSON.parse(plain.toString('utf8')) as JWK;
        } catch {
          throw new KeyUnreadable(kid, 'KEYS_ENCRYPTION_KEY does not open this file');
        }
      }
      const jwk = parsed as JWK;
      if (typeof jwk.kty !== 'string' || typeof jwk.d !== 'string')
        throw new KeyUnreadable(kid, 'not a private JWK');
      return jwk;
    },

    remove(kid: string): void {
      rmSync(pathOf(kid), { force: true });
    },
  };
}

export type KeyFiles = ReturnType<typeof createKeyFiles>;
