import type { Configuration } from 'oidc-provider';
import type { ResourceServer } from './resourceServers.js';

/**
 * oidc-provider refuses outgoing requests to loopback and private addresses (SSRF). The services the
 * operator configured run there (localhost in development, an internal network in production), so their
 * origins alone may be reached that way, e.g. for back-channel logout.
 */
export function fetchReachingServices(
  resourceServers: ResourceServer[],
): NonNullable<Configuration['fetch']> {
  const internalOrigins = new Set(
    resourceServers.filter((r) => r.format === 'jwt').map((r) => new URL(r.indicator).origin),
  );
  return (url, init) => {
    const target = new URL(url instanceof Request ? url.url : url);
    if (!internalOrigins.has(target.origin) || !init) return globalThis.fetch(url, init);
    const { dispatcher: _ssrfGuard, ...rest } = init as RequestInit & { dispatcher?: unknown };
    return globalThis.fetch(url, rest);
  };
}
