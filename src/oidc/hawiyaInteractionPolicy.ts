import { errors, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { acrRank, essentialAcrs, requiredAcr } from './acr.js';
import { consentableClaims } from './claims.js';
import { hawiyaMetadataOf } from './extraClientMetadata.js';

/**
 * Login must be asked for again when the session's acr is lower than the client or the request needs. A login
 * just completed below that level (whatever path it took) ends the request with
 * unmet_authentication_requirements: no code is issued at a lower acr (checklist 16).
 */
function acrCheck(): InstanceType<typeof interactionPolicy.Check> {
  // login_required, like oidc-provider's own check of an essential acr: prompt=none gets the same error
  // however the level was asked (acr_values, claims parameter, client minimum).
  return new interactionPolicy.Check(
    'acr_too_low',
    'the requested authentication level could not be obtained',
    'login_required',
    (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const needed = requiredAcr({
        clientMin: oidc.client ? hawiyaMetadataOf(oidc.client).min_acr : undefined,
        requested:
          typeof oidc.params?.acr_values === 'string' ? oidc.params.acr_values.split(' ') : undefined,
        essential: essentialAcrs(oidc.params?.claims),
      });
      if (acrRank(oidc.session.acr) >= acrRank(needed)) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      if (oidc.result?.login)
        throw new errors.UnmetAuthenticationRequirements('the login did not reach the requested level');
      return interactionPolicy.Check.REQUEST_PROMPT;
    },
  );
}

/**
 * Consent must cover the claims a request names one by one (claims parameter), but only those its client may
 * receive: oidc-provider's own check would ask for (and, at consent, grant) claims outside the client's scopes.
 */
function claimsConsentCheck(): InstanceType<typeof interactionPolicy.Check> {
  const missing = (ctx: KoaContextWithOIDC): string[] => {
    const { oidc } = ctx;
    const encountered = new Set(oidc.grant?.getOIDCClaimsEncountered() ?? []);
    return consentableClaims(oidc.requestParamClaims, oidc.client?.scope).filter((c) => !encountered.has(c));
  };
  return new interactionPolicy.Check(
    'op_claims_missing',
    'requested claims not granted',
    'consent_required',
    (ctx: KoaContextWithOIDC) =>
      missing(ctx).length > 0
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT,
    (ctx: KoaContextWithOIDC) => ({ missingOIDCClaims: missing(ctx) }),
  );
}

/** oidc-provider's prompts with Hawiya's checks: the acr level at login, the client's claims at consent. */
export function hawiyaInteractionPolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  policy.get('login')?.checks.add(acrCheck());
  const consentChecks = policy.get('consent')?.checks;
  if (consentChecks) {
    const at = consentChecks.findIndex((c) => c.reason === 'op_claims_missing');
    consentChecks.remove('op_claims_missing');
    consentChecks.add(claimsConsentCheck(), at < 0 ? undefined : at);
  }
  return policy;
}
