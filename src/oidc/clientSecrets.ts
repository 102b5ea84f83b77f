import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Client secrets are stored salted and hashed (RFC 6819 5.1.4.1.3): a database dump gives no working
// secret. They are 32 random bytes, so one SHA-256 round is enough (no password stretching needed).
const PREFIX = 'sha256$';

export function isHashedClientSecret(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function hashClientSecret(secret: string): string {
  const salt = randomBytes(16).toString('base64url');
  return `${PREFIX}${salt}$${createHash('sha256').update(`${salt}:${secret}`).digest('base64url')}`;
}

/** Constant-time check of a presented secret against the stored hash. */
export function verifyClientSecret(stored: string | undefined, presented: string): boolean {
  if (!stored || !isHashedClientSecret(stored)) return false;
  const [, salt = '', digest = ''] = stored.split('$');
  const expected = Buffer.from(digest, 'base64url');
  const actual = createHash('sha256').update(`${salt}:${presented}`).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
