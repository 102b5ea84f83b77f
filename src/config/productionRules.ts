// What production refuses to start with: development defaults, weak secrets, and plain-text channels.

import type { EnvReader } from './envReader.js';
import { DEV_COOKIE_KEY, DEV_PAIRWISE_SALT, MIN_DISTINCT, WEAK_SECRET, weakSecret } from './secrets.js';

/** smtps:// (TLS from the start) or smtp:// with STARTTLS required, and certificates not left unchecked. */
function smtpUsesTls(smtpUrl: string): boolean {
  const u = new URL(smtpUrl);
  const q = u.searchParams;
  if (q.get('ignoreTLS') === 'true' || q.get('tls.rejectUnauthorized') === 'false') return false;
  if (u.protocol === 'smtps:') return q.get('secure') !== 'false';
  return q.get('requireTLS') === 'true';
}

export interface ProductionSettings {
  readonly issuer: string;
  readonly cookieKeys: readonly string[];
  readonly pairwiseSalt: string;
  readonly smtpUrl: string | undefined;
  readonly gatewayUrl: string | undefined;
  readonly keysEncryptionKey: string | undefined;
}

/** Adds to r.problems every setting production must not run with. */
export function refuseUnsafeProduction(r: EnvReader, s: ProductionSettings): void {
  if (!s.issuer.startsWith('https://')) r.problems.push('ISSUER must be an https URL in production');
  if (s.cookieKeys.includes(DEV_COOKIE_KEY)) r.problems.push('COOKIE_KEYS must be set in production');
  else if (s.cookieKeys.some((k) => weakSecret(k))) r.problems.push(`COOKIE_KEYS ${WEAK_SECRET}`);
  if (s.pairwiseSalt === DEV_PAIRWISE_SALT) r.problems.push('PAIRWISE_SALT must be set in production');
  else if (weakSecret(s.pairwiseSalt)) r.problems.push(`PAIRWISE_SALT ${WEAK_SECRET}`);
  if (!s.smtpUrl) r.problems.push('SMTP_URL must be set in production (the dev outbox is for development)');
  else if (!smtpUsesTls(s.smtpUrl)) {
    r.problems.push(
      'SMTP_URL must use TLS in production: smtps://… or smtp://…?requireTLS=true (STARTTLS required), certificates checked',
    );
  }
  if (!s.gatewayUrl)
    r.problems.push('SMS_GATEWAY_URL must be set in production (the dev outbox is for development)');
  else if (!s.gatewayUrl.startsWith('https://'))
    r.problems.push('SMS_GATEWAY_URL must be an https URL in production (it carries codes and a token)');
  if (s.keysEncryptionKey === undefined) {
    r.problems.push('KEYS_ENCRYPTION_KEY must be set in production (signing keys are encrypted at rest)');
  } else if (new Set(Buffer.from(s.keysEncryptionKey, 'base64url')).size < MIN_DISTINCT) {
    r.problems.push(
      'KEYS_ENCRYPTION_KEY must be 32 random bytes in production (e.g. openssl rand -base64 32)',
    );
  }
  if (r.bool('SEED_DEMO', false)) r.problems.push('SEED_DEMO must not be on in production');
}
