import { ACR_VALUES } from '../oidc/acr.js';
import type { HawiyaClient } from '../oidc/clientsRepo.js';
import { clientCredentialScopes } from '../oidc/resourceServers.js';
import { supportedScopes } from '../oidc/supportedScopes.js';
import { REGISTRY_CHECK } from '../shared/serviceRegistry.js';

/** Scopes of APIs that only a client-credentials token carries. */
export const MACHINE_SCOPES: readonly string[] = clientCredentialScopes();

/** The grants a client may be registered for. */
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

/** The scopes the provider knows: its own list (a module that loads no oidc-provider, so the CLI stays light). */
export const CLIENT_SCOPES = supportedScopes();

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** "standard" → urn:hawiya:acr:standard; a full acr value passes through. */
export function expandAcr(value: string): string {
  return value.startsWith('urn:') ? value : `urn:hawiya:acr:${value}`;
}

function checkUri(opts: { uri: string; what: string; production: boolean }): string | undefined {
  const { uri, what } = opts;
  if (uri.includes('*')) return `${what} ${uri}: wildcards are not allowed (exact match only)`;
  if (uri.includes('#')) return `${what} ${uri}: a fragment is not allowed`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${what} ${uri}: not an absolute URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname) && !opts.production) return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname))
    return `${what} ${uri}: must be https in production`;
  return `${what} ${uri}: must be https${opts.production ? '' : ' (http only for localhost outside production)'}`;
}

/**
 * Hawiya's rules for a relying party, before oidc-provider's own metadata validation. No I/O; returns every
 * problem found (empty when the client is acceptable).
 */
export function checkClientPolicy(opts: {
  client: HawiyaClient;
  production: boolean;
  resources: readonly string[];
}): string[] {
  const { client, production } = opts;
  const problems: string[] = [];
  if (!client.name_ar?.trim()) problems.push('--name-ar is required');
  if (!client.name_en?.trim()) problems.push('--name-en is required');
  if (client.organization_type !== 'government' && client.organization_type !== 'private') {
    problems.push('--type must be government or private');
  }
  const grants = client.grant_types ?? [];
  const people = grants.includes('authorization_code');
  const machine = grants.includes('client_credentials');
  const unknownGrants = grants.filter((g) => !(GRANT_TYPES as readonly string[]).includes(g));
  if (unknownGrants.length > 0) problems.push(`unknown grant type: ${unknownGrants.join(', ')}`);
  if (!people && !machine)
    problems.push('--grant-type must include authorization_code or client_credentials');
  if (grants.includes('refresh_token') && !people)
    problems.push('refresh_token goes with authorization_code');
  const redirects = client.redirect_uris ?? [];
  if (people && redirects.length === 0) problems.push('at least one --redirect-uri is required');
  if (!people && redirects.length > 0) problems.push('--redirect-uri needs the authorization_code grant');
  for (const uri of redirects)
    problems.push(...[checkUri({ uri, what: 'redirect URI', production })].filter(isString));
  for (const uri of client.post_logout_redirect_uris ?? []) {
    problems.push(...[checkUri({ uri, what: 'post-logout URI', production })].filter(isString));
  }
  if (typeof client.client_uri === 'string') {
    // Shown as a link on the consent page: a web page, not a javascript: or data: URL.
    const p = checkUri({ uri: client.client_uri, what: 'client URI', production });
    if (p) problems.push(p);
  }
  if (typeof client.backchannel_logout_uri === 'string') {
    const p = checkUri({ uri: client.backchannel_logout_uri, what: 'back-channel logout URI', production });
    if (p) problems.push(p);
  }
  const scopes = String(client.scope ?? '')
    .split(' ')
    .filter(Boolean);
  const unknown = scopes.filter((s) => !CLIENT_SCOPES.includes(s));
  if (unknown.length > 0)
    problems.push(`unknown scope: ${unknown.join(', ')} (known: ${CLIENT_SCOPES.join(' ')})`);
  if (people && !scopes.includes('openid')) problems.push('the scopes must include openid');
  const machineScopes = scopes.filter((s) => MACHINE_SCOPES.includes(s));
  if (machineScopes.length > 0 && !machine) {
    problems.push(`${machineScopes.join(', ')}: only with --grant-type client_credentials`);
  }
  if (machine && !people && scopes.some((s) => !MACHINE_SCOPES.includes(s))) {
    // A machine acts for no person: it gets no identity scope, only an API's (resource-server) scopes. A
    // service's person scope (civil:loss_report) is allowed next to client_credentials only with
    // authorization_code, for its people's tokens: the provider never puts it in a machine token.
    problems.push(
      `a client_credentials client may only have API scopes (${MACHINE_SCOPES.join(' ')}): ${scopes
        .filter((s) => !MACHINE_SCOPES.includes(s))
        .join(', ')}`,
    );
  }
  if (machine && machineScopes.length === 0) {
    problems.push(`client_credentials needs an API scope (${MACHINE_SCOPES.join(' ')})`);
  }
  if (machine && (client.allowed_resources ?? []).length === 0) {
    problems.push('client_credentials needs the --resource (API) its tokens are for');
  }
  if (scopes.includes(REGISTRY_CHECK.scope) && client.organization_type !== 'government') {
    problems.push(`${REGISTRY_CHECK.scope} is for government clients only`);
  }
  const badResources = (client.allowed_resources ?? []).filter((r) => !opts.resources.includes(r));
  if (badResources.length > 0) {
    problems.push(
      `unknown resource: ${badResources.join(', ')} (known: ${opts.resources.join(' ') || 'none'})`,
    );
  }
  if (client.first_party === true && client.organization_type !== 'government') {
    problems.push('--first-party (skipping consent) is for government clients only');
  }
  if (client.min_acr !== undefined && !(ACR_VALUES as readonly string[]).includes(client.min_acr)) {
    problems.push(`--min-acr must be one of basic, standard, high (got ${client.min_acr})`);
  }
  const method = client.token_endpoint_auth_method;
  if (method === 'private_key_jwt') {
    if (!client.jwks_uri && !client.jwks) problems.push('private_key_jwt needs --jwks-uri or --jwks-file');
    if (client.jwks_uri && client.jwks) problems.push('give --jwks-uri or --jwks-file, not both');
    if (typeof client.jwks_uri === 'string') {
      const p = checkUri({ uri: client.jwks_uri, what: 'jwks_uri', production });
      if (p) problems.push(p);
    }
    const keys = (client.jwks as { keys?: Record<string, unknown>[] } | undefined)?.keys;
    if (client.jwks && (!Array.isArray(keys) || keys.length === 0))
      problems.push('the JWKS file has no keys');
    if (keys?.some((k) => ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((m) => m in k))) {
      problems.push('the JWKS file holds private key material: give only the public keys');
    }
  } else if (method === 'client_secret_basic') {
    if (client.jwks || client.jwks_uri)
      problems.push('--jwks-uri and --jwks-file go with --auth-method private_key_jwt');
  } else {
    problems.push('--auth-method must be client_secret_basic or private_key_jwt');
  }
  if (client.subject_type !== 'public' && client.subject_type !== 'pairwise') {
    problems.push('--subject-type must be public or pairwise');
  }
  return problems;
}

function isString(v: string | undefined): v is string {
  return typeof v === 'string';
}
