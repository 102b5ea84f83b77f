import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { NoRowChanged } from '../../../db/preparedStatements.js';
import { consentableClaims } from '../../../oidc/claims.js';
import type { Audit } from '../../../shared/audit.js';
import { ConsentWithdrawnMeanwhile } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { field, metaOf, seeOther } from '../../requestContext.js';
import { interactionOf } from './interactionOf.js';

/**
 * POST /interaction/:uid/consent: allow records (and remembers) a grant; deny returns access_denied. The
 * grant, its audit record and the interaction's result are committed together, before the redirect.
 */
export function submitConsent(deps: {
  provider: () => Provider;
  audit: Audit;
  holdAnswerWrites: IdpDeps['holdAnswerWrites'];
}): Middleware {
  return async function submitConsent(ctx) {
    const provider = deps.provider();
    const details = await interactionOf(deps.provider, ctx, 'consent');
    const accountId = details.session?.accountId;
    const clientId = String(details.params.client_id);
    if (field(ctx, 'decision', 10) !== 'allow' || !accountId) {
      const url = await provider.interactionResult(ctx.req, ctx.res, {
        error: 'access_denied',
        error_description: 'the person declined the request',
      });
      seeOther(ctx, url);
      return;
    }
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
      : new provider.Grant({ accountId, clientId });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    // Only claims the client may receive are granted: the page listed no other.
    const client = await provider.Client.find(clientId);
    const claims = consentableClaims(missing.missingOIDCClaims ?? [], client?.scope);
    if (claims.length > 0) grant.addOIDCClaims(claims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const url = await deps
      .holdAnswerWrites(async () => {
        const grantId = await grant.save();
        await deps.audit.record({
          event: 'consent_granted',
          accountId,
          clientId,
          ...metaOf(ctx),
        });
        return provider.interactionResult(
          ctx.req,
          ctx.res,
          { consent: details.grantId ? {} : { grantId } },
          { mergeWithLastSubmission: true },
        );
      })
      .catch((err: unknown) => {
        // the grant it widens was withdrawn since it was read: nothing of this answer was stored
        throw err instanceof NoRowChanged ? new ConsentWithdrawnMeanwhile() : err;
      });
    seeOther(ctx, url);
  };
}
