/** A stored row as the adapter reads it: payload (JSON), expiry and consumption (ms), or null. */
export type PayloadRow = Record<string, unknown>;

/**
 * Grants read in the same statement as the token that names them, kept for the request that read them.
 * oidc-provider loads a presented token, then (after the client and the account) its grant: one more
 * statement per userinfo, introspection, refresh and code exchange, and on PostgreSQL one more round trip.
 * The token's statement now brings its grant along (one snapshot, so the two agree), and the grant's find
 * in the same request takes it from here, once. Scoped by the request (oidc-provider's own async context),
 * never shared between requests, so no request uses a grant it did not read itself; outside a request
 * (the CLI, a test calling the adapter) nothing is kept.
 */
export function createGrantsReadAlong(currentRequest: () => object | undefined) {
  // null: the token names a grant that does not exist (revoked): the grant's find answers "not found"
  const byRequest = new WeakMap<object, Map<string, PayloadRow | null>>();
  return {
    keep(grantId: string, row: PayloadRow | null): void {
      const request = currentRequest();
      if (!request) return;
      let kept = byRequest.get(request);
      if (!kept) {
        kept = new Map();
        byRequest.set(request, kept);
      }
      kept.set(grantId, row);
    },
    /** the row read along with a token in this request (null: none exists), or undefined: read it */
    take(grantId: string): PayloadRow | null | undefined {
      const request = currentRequest();
      const kept = request ? byRequest.get(request) : undefined;
      if (!kept?.has(grantId)) return undefined;
      const row = kept.get(grantId) ?? null;
      kept.delete(grantId);
      return row;
    },
  };
}
