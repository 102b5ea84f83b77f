import { type JWTVerifyGetKey, jwtVerify } from 'jose';
import { HawiyaError } from '../../shared/errors.js';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
// Asymmetric algorithms only: never `none`, never an HMAC keyed by a client secret.
const ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'];

export interface LogoutTarget {
  sid?: string;
  sub?: string;
}

/**
 * Validates a back-channel logout token (OpenID Connect Back-Channel Logout 1.0, section 2.6):
 * signature against the IdP's keys, iss, aud, iat within 5 minutes, the logout event, sid or sub, no nonce.
 * Throws HawiyaError('invalid_logout_token') on any failure.
 */
export async function verifyLogoutToken(opts: {
  token: string;
  issuer: string;
  clientId: string;
  jwks: JWTVerifyGetKey;
  /** epoch milliseconds; the system time by default */
  now?: number;
}): Promise<LogoutTarget> {
  let payload: Record<string, unknown>;
  try {
    const verified = await jwtVerify(opts.token, opts.jwks, {
      issuer: opts.issuer,
      audience: opts.clientId,
      algorithms: ALGORITHMS,
      requiredClaims: ['iat'],
      maxTokenAge: '5m',
      clockTolerance: 5,
      ...(opts.now !== undefined ? { currentDate: new Date(opts.now) } : {}),
    });
    const typ = verified.protectedHeader.typ?.toLowerCase();
    if (typ !== undefined && typ !== 'logout+jwt' && typ !== 'application/logout+jwt') throw new Error('typ');
    payload = verified.payload as Record<string, unknown>;
  } catch {
    throw invalid();
  }
  const events = payload.events;
  if (typeof events !== 'object' || events === null || Array.isArray(events)) throw invalid();
  const event = (events as Record<string, unknown>)[EVENT];
  if (typeof event !== 'object' || event === null) throw invalid();
  if ('nonce' in payload) throw invalid();
  const sid = typeof payload.sid === 'string' && payload.sid !== '' ? payload.sid : undefined;
  const sub = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
  if (!sid && !sub) throw invalid();
  return { ...(sid ? { sid } : {}), ...(sub ? { sub } : {}) };
}

function invalid(): HawiyaError {
  return new HawiyaError('invalid_logout_token', 400);
}
