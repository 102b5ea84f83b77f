import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { HawiyaClient } from '../oidc/clientsRepo.js';
import { UsageError } from './cliErrors.js';
import { expandAcr } from './clientPolicy.js';

/** The options of `clients add` and `clients update`: undefined means "not given" (update keeps the value). */
export interface ClientOptions {
  nameAr?: string;
  nameEn?: string;
  type?: 'government' | 'private';
  redirectUri?: string[];
  postLogoutUri?: string[];
  backchannelLogoutUri?: string;
  clientUri?: string;
  scope?: string[];
  resource?: string[];
  authMethod?: 'client_secret_basic' | 'private_key_jwt';
  jwksUri?: string;
  jwksFile?: string;
  minAcr?: string;
  firstParty?: boolean;
  subjectType?: 'public' | 'pairwise';
  grantType?: string[];
  json?: boolean;
}

const collect = (value: string, previous?: string[]) => [...(previous ?? []), value];
// --scope "openid profile" and --scope openid --scope profile both work.
const collectWords = (value: string, previous?: string[]) => [
  ...(previous ?? []),
  ...value.split(/\s+/).filter(Boolean),
];

export function addClientOptions(cmd: Command): Command {
  return cmd
    .option('--name-ar <name>', 'Arabic display name')
    .option('--name-en <name>', 'English display name')
    .addOption(new Option('--type <type>', 'organisation type').choices(['government', 'private']))
    .option('--redirect-uri <uri>', 'redirect URI, exact match (repeatable)', collect)
    .option('--post-logout-uri <uri>', 'post-logout redirect URI (repeatable)', collect)
    .option('--backchannel-logout-uri <uri>', 'back-channel logout URI')
    .option('--client-uri <uri>', "the service's home page, shown on the consent page (https in production)")
    .option(
      '--scope <scopes>',
      'allowed scopes, space-separated or repeated (openid by default)',
      collectWords,
    )
    .option(
      '--resource <uri>',
      'resource indicator (API) the client may get tokens for (repeatable)',
      collect,
    )
    .addOption(
      new Option('--auth-method <method>', 'token endpoint authentication').choices([
        'client_secret_basic',
        'private_key_jwt',
      ]),
    )
    .option('--jwks-uri <uri>', 'where the client publishes its public keys (private_key_jwt)')
    .option('--jwks-file <file>', 'a JSON file with the client public keys, stored inline (private_key_jwt)')
    .option('--min-acr <acr>', 'lowest acr accepted: basic, standard, high or a full urn')
    .option('--first-party', 'skip the consent page (government clients only)')
    .option('--no-first-party', 'show the consent page')
    .addOption(
      new Option('--subject-type <type>', 'sub identifiers (private: pairwise by default)').choices([
        'public',
        'pairwise',
      ]),
    )
    .option(
      '--grant-type <grant>',
      'authorization_code, refresh_token or client_credentials (repeatable; the first two by default)',
      collect,
    )
    .option('--json', 'print JSON');
}

function readJwks(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--jwks-file ${file}: ${(err as Error).message}`);
  }
}

export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The client after applying the options to `base` (empty for add). Returns the new secret when one was
 * generated (a client_secret_basic client without one), to be shown once.
 */
export function applyClientOptions(opts: { base: HawiyaClient; options: ClientOptions }): {
  client: HawiyaClient;
  secret?: string;
} {
  const o = opts.options;
  const c: HawiyaClient = { ...opts.base };
  if (o.nameAr !== undefined) c.name_ar = o.nameAr.trim();
  if (o.nameEn !== undefined) {
    c.name_en = o.nameEn.trim();
    c.client_name = c.name_en;
  }
  if (o.type !== undefined) c.organization_type = o.type;
  if (o.redirectUri !== undefined) c.redirect_uris = o.redirectUri;
  if (o.postLogoutUri !== undefined) c.post_logout_redirect_uris = o.postLogoutUri;
  if (o.backchannelLogoutUri !== undefined) {
    c.backchannel_logout_uri = o.backchannelLogoutUri;
    c.backchannel_logout_session_required = true;
  }
  if (o.clientUri !== undefined) {
    // --client-uri '' removes it
    if (o.clientUri === '') delete c.client_uri;
    else c.client_uri = o.clientUri;
  }
  if (o.scope !== undefined) c.scope = [...new Set(o.scope)].join(' ');
  c.scope ??= 'openid';
  if (o.resource !== undefined) c.allowed_resources = o.resource;
  if (o.minAcr !== undefined) c.min_acr = expandAcr(o.minAcr);
  if (o.firstParty !== undefined) c.first_party = o.firstParty;
  c.first_party ??= false;
  if (o.subjectType !== undefined) c.subject_type = o.subjectType;
  // Private clients get pairwise identifiers unless asked otherwise, so they cannot correlate people.
  c.subject_type ??= c.organization_type === 'private' ? 'pairwise' : 'public';
  if (o.grantType !== undefined) c.grant_types = [...new Set(o.grantType)];
  c.grant_types ??= ['authorization_code', 'refresh_token'];
  const people = c.grant_types.includes('authorization_code');
  c.response_types = people ? ['code'] : [];
  if (!people) {
    // A client-credentials-only client signs no one in: no redirect, no identity scope by default.
    c.redirect_uris ??= [];
    if (o.scope === undefined && c.scope === 'openid') delete c.scope;
  }

  if (o.authMethod !== undefined) c.token_endpoint_auth_method = o.authMethod;
  c.token_endpoint_auth_method ??= 'client_secret_basic';
  if (o.jwksUri !== undefined) {
    c.jwks_uri = o.jwksUri;
    delete c.jwks;
  }
  if (o.jwksFile !== undefined) {
    c.jwks = readJwks(o.jwksFile) as unknown as HawiyaClient['jwks'];
    delete c.jwks_uri;
  }
  let secret: string | undefined;
  if (c.token_endpoint_auth_method === 'client_secret_basic') {
    if (!c.client_secret) {
      secret = generateClientSecret();
      c.client_secret = secret;
    }
  } else {
    delete c.client_secret;
  }
  return { client: c, secret };
}

/** A client as shown to an admin: the secret is never shown again after it was created. */
export function displayClient(client: HawiyaClient): Record<string, unknown> {
  const { client_secret, ...rest } = client;
  return client_secret ? { ...rest, client_secret: '(set; shown only when created or rotated)' } : rest;
}
