import type { EventEmitter } from 'node:events';
import type Provider from 'oidc-provider';
import type { Metrics } from './createMetrics.js';
import { labelOf } from './labels.js';
import { answeringRoute } from './requestMetrics.js';

interface IssuedToken {
  clientId?: string;
  gty?: string;
}

interface TokenRequest {
  oidc?: { params?: { grant_type?: unknown }; client?: { clientId?: string } };
}

// What oidc-provider can issue here (its models' events are `<kind>.saved` when stored, `.issued` when not).
const TOKEN_KINDS = ['access_token', 'refresh_token', 'client_credentials', 'authorization_code'] as const;
const GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'client_credentials']);

/**
 * oidc-provider's events counted: tokens issued by kind, grant and client; token requests by grant, client
 * and result. A client is labelled only once the provider has loaded it (a registered client id), never as
 * sent, and a grant type only from the set it serves, so no request can add series. Also stashes the
 * provider's route name for the latency histogram.
 */
export function observeProvider(provider: Provider, metrics: Metrics): Provider {
  provider.use(async function routeName(ctx, next) {
    await next();
    const name = (ctx as { _matchedRouteName?: unknown })._matchedRouteName;
    if (typeof name === 'string') answeringRoute.set(ctx.req, `oidc:${name}`);
  });
  // Its typings list each event with its own listener type; these four kinds share one listener.
  const events = provider as unknown as EventEmitter;
  for (const kind of TOKEN_KINDS) {
    const count = (token: IssuedToken) =>
      metrics.tokens.inc({
        kind,
        grant_type: grantTypeOf(token.gty ?? (kind === 'client_credentials' ? kind : undefined)),
        client: labelOf(token.clientId),
      });
    events.on(`${kind}.saved`, count);
    events.on(`${kind}.issued`, count);
  }
  events.on('grant.success', (ctx: TokenRequest) => countRequest(metrics, ctx, 'ok'));
  events.on('grant.error', (ctx: TokenRequest, err: { error?: string }) =>
    countRequest(metrics, ctx, labelOf(err.error, 'server_error')),
  );
  return provider;
}

function countRequest(metrics: Metrics, ctx: TokenRequest, result: string): void {
  metrics.grants.inc({
    grant_type: grantTypeOf(ctx.oidc?.params?.grant_type),
    client: labelOf(ctx.oidc?.client?.clientId),
    result,
  });
}

/** A grant type from the set served, else `other`; a refreshed token's `gty` lists the grants it came by. */
function grantTypeOf(value: unknown): string {
  if (value === undefined) return 'none';
  const last = typeof value === 'string' ? value.split(' ').at(-1) : undefined;
  return last !== undefined && GRANT_TYPES.has(last) ? last : 'other';
}
