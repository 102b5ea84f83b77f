// The acr a request asks for. The levels themselves, and which one a login achieves, belong to the login
// flow (accounts/login/): this layer only reads requests and reports the result.
import { ACR, ACR_VALUES, type AcrValue, acrRank } from '../accounts/login/levels.js';

export { ACR, ACR_VALUES, type AcrValue, acrRank };

/**
 * The lowest acr a request accepts: the client's minimum, raised by any acr_values the request names and by
 * the values its claims parameter makes essential.
 */
export function requiredAcr(opts: {
  clientMin?: string;
  requested?: string[];
  essential?: string[];
}): AcrValue {
  let rank = Math.max(0, acrRank(opts.clientMin));
  for (const named of [opts.requested, opts.essential]) {
    const asked = (named ?? []).map(acrRank).filter((r) => r >= 0);
    if (asked.length > 0) rank = Math.max(rank, Math.min(...asked));
  }
  return ACR_VALUES[rank] ?? ACR.basic;
}

/**
 * The acr values a claims parameter (JSON) makes essential for the ID token, as oidc-provider's login
 * prompt enforces them: `{"id_token":{"acr":{"essential":true,"values":[…]}}}` (or `"value"`).
 */
export function essentialAcrs(claimsParameter: unknown): string[] | undefined {
  if (typeof claimsParameter !== 'string') return undefined;
  let acr: unknown;
  try {
    acr = (JSON.parse(claimsParameter) as { id_token?: { acr?: unknown } } | null)?.id_token?.acr;
  } catch {
    return undefined;
  }
  if (typeof acr !== 'object' || acr === null) return undefined;
  const { essential, value, values } = acr as { essential?: unknown; value?: unknown; values?: unknown };
  if (essential !== true) return undefined;
  const named = (Array.isArray(values) ? values : [value]).filter((v): v is string => typeof v === 'string');
  return named.length > 0 ? named : undefined;
}
