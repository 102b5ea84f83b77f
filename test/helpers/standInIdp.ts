import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface StandInIdp {
  issuer: string;
  /** every token request received, form-decoded */
  tokenRequests: URLSearchParams[];
  /** a code the token endpoint will accept once, for the authorization request a service sent to /auth */
  approve(authUrl: URL): string;
  /** a back-channel logout token for the client, signed with the IdP's key */
  logoutToken(claims: { sub?: string; sid?: string }): Promise<string>;
  close(): Promise<void>;
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => resolve(data));
  });

/**
 * A stand-in for Hawiya that speaks just enough OpenID Connect to drive a relying party end to end:
 * discovery, JWKS, a token endpoint checking client_secret_basic and PKCE, userinfo for one citizen.
 */
export async function startStandInIdp(opts: {
  clientId: string;
  clientSecret: string;
  /** the service's public URL: the redirect URI must be `${publicUrl}/callback` */
  publicUrl: string;
}): Promise<StandInIdp> {
  const pair = await generateKeyPair('ES256');
  const key = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const pending = new Map<string, { challenge: string; nonce: string }>();
  const tokenRequests: URLSearchParams[] = [];
  let issuer = '';

  const server = createServer(async (req, res) => {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/me`,
        jwks_uri: `${issuer}/jwks`,
        end_session_endpoint: `${issuer}/session/end`,
        id_token_signing_alg_values_supported: ['ES256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/token' && req.method === 'POST') {
      const params = new URLSearchParams(await body(req));
      tokenRequests.push(params);
      // RFC 6749 2.3.1: id and secret are form-encoded before base64, as openid-client does.
      const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
        .toString()
        .split(':')
        .map((v) => decodeURIComponent(v));
      const grant = pending.get(params.get('code') ?? '');
      pending.delete(params.get('code') ?? '');
      if (id !== opts.clientId || secret !== opts.clientSecret) return json(401, { error: 'invalid_client' });
      const verifier = params.get('code_verifier') ?? '';
      if (
        !grant ||
        createHash('sha256').update(verifier).digest('base64url') !== grant.challenge ||
        params.get('redirect_uri') !== `${opts.publicUrl}/callback`
      ) {
        return json(400, { error: 'invalid_grant' });
      }
      const idToken = await new SignJWT({ sid: 'idp-sid-1', nonce: grant.nonce })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience(opts.clientId)
        .setSubject('citizen-1')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
      return json(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 600, id_token: idToken });
    }
    if (url.pathname === '/me') {
      if (req.headers.authorization !== 'Bearer at-1') return json(401, { error: 'invalid_token' });
      return json(200, {
        sub: 'citizen-1',
        name: 'سارة العتيبي',
        'name#ar': 'سارة العتيبي',
        'name#en': 'Sara Alotaibi',
        national_id: '1234567008',
      });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    tokenRequests,
    approve(authUrl) {
      const code = `code-${Math.random()}`;
      pending.set(code, {
        challenge: authUrl.searchParams.get('code_challenge') ?? '',
        nonce: authUrl.searchParams.get('nonce') ?? '',
      });
      return code;
    },
    logoutToken(claims) {
      return new SignJWT({ ...claims, events: { [LOGOUT_EVENT]: {} } } as JWTPayload)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'logout+jwt' })
        .setIssuer(issuer)
        .setAudience(opts.clientId)
        .setIssuedAt()
        .setExpirationTime('2m')
        .setJti(crypto.randomUUID())
        .sign(key);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
