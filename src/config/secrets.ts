// What a production secret must look like, and the development defaults production refuses.

export const DEV_COOKIE_KEY = 'dev-only-cookie-key-change-me-in-production-0001';
export const DEV_PAIRWISE_SALT = 'dev-only-pairwise-salt-change-me-in-production';
export const DEV_CLIENT_SECRET = 'dev-only-client-secret-change-me-0123456789abcdef';

export const MIN_SECRET_LENGTH = 32;
export const MIN_DISTINCT = 10;
export const WEAK_SECRET =
  'must be a random secret in production: at least 32 characters, at least 10 different ones, not a repeated pattern (e.g. openssl rand -base64 32)';

/**
 * A cheap check that a secret was generated rather than typed: at least 32 characters, at least 10
 * distinct characters, and not one shorter string repeated. `openssl rand -base64 32` (44 characters) or
 * `-hex 32` (64) always pass; "a" x 36, "abcd" x 8 or "0123456789" x 4 do not.
 */
export function weakSecret(value: string): boolean {
  return value.length < MIN_SECRET_LENGTH || new Set(value).size < MIN_DISTINCT || /^(.+?)\1+$/s.test(value);
}
