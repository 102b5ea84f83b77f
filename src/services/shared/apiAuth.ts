import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { HawiyaError } from '../../shared/errors.js';
import { SERVICES } from '../../shared/serviceRegistry.js';
import type { DpopProofs } from './dpopProofsRepo.js';
import type { TokenSession } from './endedSessionsRepo.js';

// Asymmetric algorithms only: never `none`, never an HMAC keyed by some client's secret.
const TOKEN_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'];
const DPOP_ALGORITHMS = ['ES256', 'PS256', 'EdDSA'];
const DPOP_MAX_AGE_SECONDS = 60;
/** A service's own scope acts for the signed-in person: a token with no person behind it never carries it. */
const PERSON_SCOPES: ReadonlySet<string> = new Set(SERVICES.map((s) => s.scope));

/** RFC 9449 section 4.3: htu is compared without query and fragment, after URL normalisation. */
function withoutQuery(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/** Who calls a service's API, from a verified Hawiya access token. */
export interface ApiCaller {
  /** the person (a person's token) or the client itself (client credentials) */
  sub: string;
  clientId: string;
  scopes: ReadonlySet<string>;
  /** claims the person granted the client, carried by the token */
  nationalId?: string;
  nameAr?: string;
  nameEn?: string;
  phoneNumber?: string;
  email?: string;
}

type AuthError = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof';

/** A refused API request: status, the RFC 6750 / RFC 9449 error and the challenge scheme. */
export class ApiAuthRefused extends HawiyaError {
  constructor(
    readonly error: AuthError | undefined,
    status: 400 | 401 | 403,
    readonly scheme: 'Bearer' | 'DPoP',
    readonly scope?: string,
  ) {
    super(error ?? 'unauthorized', status);
  }

  /** The WWW-Authenticate challenge (RFC 6750 section 3, RFC 9449 section 7.1). */
  challenge(realm: string): string {
    const params = [`realm="${realm}"`];
    if (this.error) params.push(`error="${this.error}"`);
    if (this.scope) params.push(`scope="${this.scope}"`);
    if (this.scheme === 'DPoP') params.push(`algs="${DPOP_ALGORITHMS.join(' ')}"`);
    return `${this.scheme} ${params.join(', ')}`;
  }
}

export interface ApiRequest {
  authorization: string | undefined;
  dpop: string | undefined;
  method: string;
  /** the public URL the request was sent to (the DPoP proof's htu), query and fragment left out */
  url: string;
}

export interface ApiAuth {
  /** Verifies the caller's token and that it carries `scope`; throws ApiAuthRefused otherwise. */
  authenticate(request: ApiRequest, scope: string): Promise<ApiCaller>;
}

/**
 * Hawiya's JWT access tokens for one API (RFC 9068): signature against Hawiya's JWKS (jose caches it and
 * refetches on an unknown kid), `typ` at+jwt, `iss`, `aud` = the API's resource indicator, `exp`, and the
 * scope. Sender-constrained (DPoP) tokens need `Authorization: DPoP` and a fresh proof for this request.
 */
export function createApiAuth(opts: {
  issuer: string;
  audience: string;
  jwks: () => Promise<JWTVerifyGetKey>;
  now?: () => number;
  /** whether Hawiya said the token's session ended (back-channel logout); none by default */
  ended?: (token: TokenSession) => Promise<boolean>;
  /** the proofs already accepted, shared by every process on the services' database */
  proofs: DpopProofs;
}): ApiAuth {
  const now = opts.now ?? Date.now;

  async function verifyToken(token: string, scheme: 'Bearer' | 'DPoP'): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, await opts.jwks(), {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: TOKEN_ALGORITHMS,
        typ: 'at+jwt',
        requiredClaims: ['exp', 'iat', 'sub', 'client_id'],
        currentDate: new Date(now()),
        clockTolerance: 5,
      });
      return payload;
    } catch {
      throw new ApiAuthRefused('invalid_token', 401, scheme);
    }
  }

  /** RFC 9449 section 4.3: the proof is signed by the token's key, for this method, URL and token, once. */
  async function checkProof(proof: string | undefined, token: string, jkt: string, request: ApiRequest) {
    const refused = () => new ApiAuthRefused('invalid_dpop_proof', 401, 'DPoP');
    if (!proof) throw refused();
    let payload: JWTPayload;
    let thumbprint: string;
    try {
      const verified = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: DPOP_ALGORITHMS,
        maxTokenAge: `${DPOP_MAX_AGE_SECONDS}s`,
        requiredClaims: ['jti', 'iat', 'htm', 'htu', 'ath'],
        currentDate: new Date(now()),
        clockTolerance: 5,
      });
      payload = verified.payload;
      thumbprint = await calculateJwkThumbprint(verified.protectedHeader.jwk ?? {});
    } catch {
      throw refused();
    }
    const ath = createHash('sha256').update(token).digest('base64url');
    if (
      thumbprint !== jkt ||
      payload.htm !== request.method ||
      withoutQuery(payload.htu) !== withoutQuery(request.url) ||
      payload.ath !== ath ||
      typeof payload.jti !== 'string'
    ) {
      throw refused();
    }
    // One use per proof, across every worker and node (RFC 9449 §11.1): kept while it could be accepted.
    const expiresAt = now() + (DPOP_MAX_AGE_SECONDS + 10) * 1000;
    if (!(await opts.proofs.firstUse(opts.audience, payload.jti, expiresAt))) throw refused();
  }

  return {
    async authenticate(request, scope) {
      const m = /^(Bearer|DPoP) +([A-Za-z0-9._~+/-]+=*)$/i.exec(request.authorization ?? '');
      if (!request.authorization) throw new ApiAuthRefused(undefined, 401, 'Bearer');
      if (!m?.[1] || !m[2]) throw new ApiAuthRefused('invalid_request', 400, 'Bearer');
      const scheme = m[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
      const token = m[2];
      const payload = await verifyToken(token, scheme);
      // A session ended at Hawiya (sign-out, users lock) ends its access tokens here too (review R8).
      if (
        payload.sub !== payload.client_id &&
        (await opts.ended?.({
          sub: String(payload.sub),
          iat: Number(payload.iat),
          ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}),
        }))
      )
        throw new ApiAuthRefused('invalid_token', 401, scheme);
      const jkt = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
      if (typeof jkt === 'string') {
        // A sender-constrained token presented as a bearer token is a stolen one until proven otherwise.
        if (scheme !== 'DPoP') throw new ApiAuthRefused('invalid_token', 401, 'DPoP');
        await checkProof(request.dpop, token, jkt, request);
      } else if (scheme === 'DPoP') {
        throw new ApiAuthRefused('invalid_token', 401, 'DPoP');
      }
      const scopes = new Set(
        String(payload.scope ?? '')
          .split(' ')
          .filter(Boolean),
      );
      if (!scopes.has(scope)) throw new ApiAuthRefused('insufficient_scope', 403, scheme, scope);
      // A client-credentials token names the client as its subject (RFC 9068 section 2.2): no person
      // stands behind it, whatever scope it carries, so it may not act as one (review R2).
      if (PERSON_SCOPES.has(scope) && payload.sub === payload.client_id)
        throw new ApiAuthRefused('insufficient_scope', 403, scheme, scope);
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      return {
        sub: String(payload.sub),
        clientId: String(payload.client_id),
        scopes,
        nationalId: str(payload.national_id),
        nameAr: str(payload['name#ar']),
        nameEn: str(payload['name#en']),
        phoneNumber: str(payload.phone_number),
        email: str(payload.email),
      };
    },
  };
}
