import type Provider from 'oidc-provider';

/** A document every request gets the same answer to: oidc-provider's own output, serialised. */
export interface PublishedDocument {
  body: string;
  /** the provider's route name (`discovery`, `jwks`) */
  route: string;
}

// oidc-provider's routes whose answer is the same for every request to the issuer's own origin.
const PUBLISHED_ROUTES = new Set(['discovery', 'jwks']);
const DISCOVERY_PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];
const documents = new WeakMap<Provider, Map<string, PublishedDocument>>();

/**
 * Keeps, per provider instance, the discovery document and JWKS exactly as oidc-provider answered them
 * (after every other middleware of ours, e.g. the JWKS's key_ops), under their path. A provider is built
 * again when the signing keys change, so a new JWKS is never answered from an old provider's copy.
 * Registered before any other provider middleware, so that it sees the final answer.
 *
 * Only an answer to the issuer's own origin at the route's own path is kept (found by review): oidc-provider
 * builds the document's endpoint URLs from the request's Host (or X-Forwarded-Host behind a trusted proxy),
 * so one request with a forged Host would otherwise have set the token endpoint every relying party is
 * sent to; and it matches paths case-insensitively, with or without a trailing slash, so every spelling an
 * attacker invented would otherwise have kept a copy. Other requests are answered by the provider as before.
 */
export function rememberPublishedDocuments(provider: Provider): void {
  const issuerOrigin = new URL(provider.issuer).origin;
  // the route's own paths: discovery has two (OpenID Connect's and RFC 8414's), pathFor names one
  const ownPaths = new Set([...DISCOVERY_PATHS, provider.pathFor('jwks')]);
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (!route || !PUBLISHED_ROUTES.has(route) || ctx.status !== 200 || ctx.body === undefined) return;
    // the origin the provider built the document's URLs from (Koa 3's ctx.origin is the Origin header)
    if (`${ctx.protocol}://${ctx.host}` !== issuerOrigin || !ownPaths.has(ctx.path)) return;
    let byPath = documents.get(provider);
    if (!byPath) {
      byPath = new Map();
      documents.set(provider, byPath);
    }
    byPath.set(ctx.path, { body: JSON.stringify(ctx.body), route });
  });
}

/** The document the provider answered at `path`, once it has answered it. */
export function publishedDocument(provider: Provider, path: string): PublishedDocument | undefined {
  return documents.get(provider)?.get(path);
}
