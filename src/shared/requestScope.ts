import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from 'koa';

// The request a page app (Koa) is answering, for code far below it that must tell requests apart.
const pageRequests = new AsyncLocalStorage<object>();

/**
 * First middleware of the IdP's page app: the rest of the request runs in a scope of its own. oidc-provider
 * gives its own requests one (Provider.ctx); the pages that act on its models (a consent saving the grant
 * it found) had none, so the storage could not tell that a row was found earlier in the same request.
 */
export function requestScope(): Middleware {
  return function requestScope(ctx, next) {
    return pageRequests.run(ctx, next);
  };
}

/** The page app's request being answered, if any. */
export function currentPageRequest(): object | undefined {
  return pageRequests.getStore();
}
