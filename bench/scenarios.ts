import type { LimitProcess } from './limits/limitProcess.js';
import type { FixedRequest, LoadSpec } from './load/loadRun.js';
import { basicAuth } from './load/personLogin.js';
import type { ScenarioName } from './options.js';
import { BENCH_CLIENT } from './system/seed.js';

/** How a relying party's server reaches the IdP: through the TLS proxy, from one address. */
export const RP_HEADERS = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.10' };

/** The token pools a scenario draws from: each value presented once (codes, refresh) or in turn (access). */
export interface Pools {
  access: string[];
  refresh: string[];
  codes: string[];
  verifier: string;
}

export interface Endpoints {
  discovery: string;
  jwks: string;
  userinfo: string;
  introspection: string;
  token: string;
}

/** The requests of one scenario against one server (the system or the bare provider). */
export function requestsFor(
  scenario: Exclude<ScenarioName, 'login'>,
  target: {
    endpoints: Endpoints;
    pools: Pools;
    headers: Record<string, string>;
    cc: { id: string; secret: string; scope: string; resource?: string };
  },
): Pick<LoadSpec, 'fixed' | 'next' | 'cycle' | 'expectStatus'> {
  const { endpoints: e, pools, headers } = target;
  const clientAuth = basicAuth(BENCH_CLIENT.client_id, BENCH_CLIENT.client_secret);
  const form = (body: Record<string, string>, auth = clientAuth): FixedRequest => ({
    method: 'POST',
    path: e.token,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
    body: new URLSearchParams(body).toString(),
  });
  let i = 0;
  const take = (pool: string[]) => pool[i++ % pool.length] ?? '';
  switch (scenario) {
    case 'discovery':
      return { fixed: { method: 'GET', path: e.discovery, headers }, expectStatus: 200 };
    case 'jwks':
      return { fixed: { method: 'GET', path: e.jwks, headers }, expectStatus: 200 };
    // userinfo: repeat reads (the pool was read once before the run); userinfo_first: each token read once
    // (a service reading userinfo right after its login: the first read of a grant records the release)
    case 'userinfo':
    case 'userinfo_first':
      return {
        next: () => ({
          method: 'GET',
          path: e.userinfo,
          headers: { ...headers, authorization: `Bearer ${take(pools.access)}` },
        }),
        cycle: pools.access.length,
        expectStatus: 200,
      };
    case 'introspection':
      return {
        next: () => ({
          ...form({ token: take(pools.access) }),
          path: e.introspection,
        }),
        cycle: pools.access.length,
        expectStatus: 200,
      };
    case 'refresh':
      // Each value once: a second use is a replay (and revokes the family).
      return {
        next: () => form({ grant_type: 'refresh_token', refresh_token: take(pools.refresh) }),
        cycle: pools.refresh.length,
        expectStatus: 200,
      };
    case 'code':
      return {
        next: () =>
          form({
            grant_type: 'authorization_code',
            code: take(pools.codes),
            redirect_uri: BENCH_CLIENT.redirect_uri,
            code_verifier: pools.verifier,
          }),
        cycle: pools.codes.length,
        expectStatus: 200,
      };
    case 'client_credentials':
      return {
        fixed: form(
          {
            grant_type: 'client_credentials',
            scope: target.cc.scope,
            ...(target.cc.resource ? { resource: target.cc.resource } : {}),
          },
          basicAuth(target.cc.id, target.cc.secret),
        ),
        expectStatus: 200,
      };
  }
}

/** The routes relying parties' servers call: issue 12 wants their p99 under 50 ms at half their peak rate. */
export const TOKEN_ROUTES: readonly ScenarioName[] = [
  'userinfo',
  'userinfo_first',
  'introspection',
  'refresh',
  'code',
  'client_credentials',
];

/** Which limits each figure is set against; the first is its share's denominator. */
export const LIMITS_OF: Record<ScenarioName, readonly LimitName[]> = {
  discovery: ['bare oidc-provider', 'bare Koa', 'Glewlwyd'],
  jwks: ['bare oidc-provider', 'bare Koa', 'Glewlwyd'],
  userinfo: ['bare oidc-provider'],
  userinfo_first: ['bare oidc-provider'],
  introspection: ['bare oidc-provider'],
  refresh: ['bare oidc-provider'],
  code: ['bare oidc-provider'],
  client_credentials: ['ES256 signing ceiling', 'bare oidc-provider'],
  login: ['argon2id ceiling'],
};

export type LimitName =
  | 'bare oidc-provider'
  | 'bare Koa'
  | 'Glewlwyd'
  | 'argon2id ceiling'
  | 'ES256 signing ceiling';

/** Pool sizes: enough single-use values for `duration` seconds at this rate, and how many to reuse. */
export const SINGLE_USE_PER_SECOND = 2500;
export const ACCESS_POOL = 1000;

/** Access tokens a scenario draws from: read in turn, or each once (`singleUse` values); none if it uses none. */
export function accessPoolSize(scenario: ScenarioName, singleUse: number): number {
  if (scenario === 'userinfo' || scenario === 'introspection') return ACCESS_POOL;
  return scenario === 'userinfo_first' ? singleUse : 0;
}

export type { LimitProcess };
