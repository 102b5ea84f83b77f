/** A stored row as the adapter reads it: payload (JSON), expiry and consumption (ms), or null. */
export type PayloadRow = Record<string, unknown>;

/**
 * What was read in the same statement as a token, kept for the request that read it: the token's grant and
 * its account with the person. oidc-provider loads a presented token, then (after the client) its account
 * and its grant: two more statements per userinfo, introspection, refresh and code exchange, and on
 * PostgreSQL two more round trips. The token's statement brings both along (one snapshot, so the three
 * agree), and the grant's find and the account's lookup in the same request take them from here, once.
 * Scoped by the request (oidc-provider's own async context), never shared between requests, so no request
 * uses a row it did not read itself; outside a request (the CLI, a test calling the adapter) nothing is kept.
 */
export type ReadAlong<T> = ReturnType<typeof createReadAlong<T>>;

export function createReadAlong<T>(currentRequest: () => object | undefined) {
  // null: the token names a row that does not exist (a revoked grant): its find answers "not found"
  const byRequest = new WeakMap<object, Map<string, T | null>>();
  return {
    keep(id: string, row: T | null): void {
      const request = currentRequest();
      if (!request) return;
      let kept = byRequest.get(request);
      if (!kept) {
        kept = new Map();
        byRequest.set(request, kept);
      }
      kept.set(id, row);
    },
    /** the row read along with a token in this request (null: none exists), or undefined: read it */
    take(id: string): T | null | undefined {
      const request = currentRequest();
      const kept = request ? byRequest.get(request) : undefined;
      if (!kept?.has(id)) return undefined;
      const row = kept.get(id) ?? null;
      kept.delete(id);
      return row;
    },
  };
}
