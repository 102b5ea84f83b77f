import type Provider from 'oidc-provider';

/** A document every request gets the same answer to: oidc-provider's own output, serialised. */
export interface PublishedDocument {
  body: string;
  /** the provider's route name (`discovery`, `jwks`) */
  route: string;
}

// oidc-provider's routes whose answer depends only on the provider instance (its configuration and keys).
const PUBLISHED_ROUTES = new Set(['discovery', 'jwks']);
const documents = new WeakMap<Provider, Map<string, PublishedDocument>>();

/**
 * Keeps, per provider instance, the discovery document and JWKS exactly as oidc-provider answered them
 * (after every other middleware of ours, e.g. the JWKS's key_ops), under their path. A provider is built
 * again when the signing keys change, so a new JWKS is never answered from an old provider's copy.
 * Registered before any other provider middleware, so that it sees the final answer.
 */
export function rememberPublishedDocuments(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (!route || !PUBLISHED_ROUTES.has(route) || ctx.status !== 200 || ctx.body === undefined) return;
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
