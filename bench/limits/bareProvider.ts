// A limit, not the system: oidc-provider 9 alone, with its in-memory adapter and defaults, serving the same
// endpoints over plain http on loopback. `/__bench/pool` mints tokens through the provider's own models, so
// refresh and code exchange can be measured with a fresh value per request, like the system's pools.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Adapter } from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
import LRU from 'oidc-provider/lib/helpers/lru.js';

const CLIENT = {
  id: 'bench-rp',
  secret: 'bench-rp-secret-Qx7Vb2Nm9Kc4Jd8Hf1Gs6Wt5zRp3',
  redirect: 'https://rp.bench.invalid/cb',
};
const API = 'https://api.bench.invalid/api';

// The shipped adapter and its LRU, with room for the pools instead of 1,000 entries.
const store = new LRU({ maxSize: 2_000_000 });

const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'bench-es256', alg: 'ES256', use: 'sig' };
const server = createServer();
await new Promise<void>((r) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', r));
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const provider = new Provider(issuer, {
  adapter: (name: string) => new MemoryAdapter(name, store) as unknown as Adapter,
  clients: [
    {
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      redirect_uris: [CLIENT.redirect],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      scope: 'openid offline_access profile api:close',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [jwk] },
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, name: 'Mohammed Alotaibi' }),
  }),
  claims: { openid: ['sub'], profile: ['name'] },
  scopes: ['openid', 'offline_access', 'api:close'],
  features: {
    devInteractions: { enabled: false },
    introspection: { enabled: true },
    userinfo: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx) =>
        ctx.oidc.params?.grant_type === 'client_credentials' ? API : undefined,
      useGrantedResource: async () => false,
      getResourceServerInfo: async () => ({
        scope: 'api:close',
        audience: API,
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
  issueRefreshToken: async () => true,
  rotateRefreshToken: () => true,
  pkce: { required: () => true },
});

async function mint(kind: string, n: number): Promise<string[]> {
  const client = await provider.Client.find(CLIENT.id);
  if (!client) throw new Error('no bench client');
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const accountId = `account-${i}`;
    const grant = new provider.Grant({ accountId, clientId: CLIENT.id });
    grant.addOIDCScope('openid profile offline_access');
    const grantId = await grant.save();
    const common = {
      accountId,
      client,
      grantId,
      scope: 'openid profile offline_access',
      gty: 'authorization_code',
    };
    if (kind === 'AccessToken') out.push(await new provider.AccessToken(common).save());
    else if (kind === 'RefreshToken')
      out.push(await new provider.RefreshToken({ ...common, rotations: 0 }).save());
    else
      out.push(
        await new provider.AuthorizationCode({
          ...common,
          redirectUri: CLIENT.redirect,
          codeChallenge: process.env.BENCH_PKCE_CHALLENGE,
          codeChallengeMethod: 'S256',
          authTime: Math.floor(Date.now() / 1000),
        }).save(),
      );
  }
  return out;
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url?.startsWith('/__bench/pool')) {
    const q = new URL(req.url, issuer).searchParams;
    mint(q.get('kind') ?? '', Number(q.get('n') ?? 0)).then(
      (values) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(values)),
      (err: Error & { error_description?: string }) =>
        res.writeHead(500).end(`${err.message}: ${err.error_description ?? ''}`),
    );
    return;
  }
  callback(req, res);
});
process.stdout.write(`listening ${issuer}\n`);
// exit cleanly on the bench's SIGTERM, so a --cpu-prof profile is written
process.once('SIGTERM', () => process.exit(0));
