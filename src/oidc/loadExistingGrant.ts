import type { Configuration } from 'oidc-provider';
import { consentableClaims } from './claims.js';
import { hawiyaMetadataOf } from './extraClientMetadata.js';
import type { createGrantsRepo } from './grantsRepo.js';

/**
 * The grant a request runs under: this session's, else the person's remembered consent at this client; a
 * first-party government service's is widened to what it asks now, so it never shows a consent page.
 */
export function loadExistingGrant(deps: {
  grants: ReturnType<typeof createGrantsRepo>;
}): NonNullable<Configuration['loadExistingGrant']> {
  return async (ctx) => {
    const { oidc } = ctx;
    const client = oidc.client;
    const accountId = oidc.session?.accountId;
    if (!client || !accountId || !oidc.session) return undefined;
    let grant: InstanceType<typeof oidc.provider.Grant> | undefined;
    const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(client.clientId);
    if (grantId) {
      const found = await oidc.provider.Grant.find(grantId);
      if (found && found.accountId === accountId) grant = found;
    }
    // Remembered consent from an earlier session.
    if (!grant) {
      const remembered = (await deps.grants.listFor(accountId))
        .filter((g) => g.clientId === client.clientId)
        .sort((a, b) => b.expiresAt - a.expiresAt);
      for (const g of remembered) {
        grant = await oidc.provider.Grant.find(g.id);
        if (grant) break;
      }
    }
    const meta = hawiyaMetadataOf(client);
    if (meta.first_party === true && meta.organization_type === 'government') {
      // A first-party service never sees a consent page: what it asks for now is added to what it was
      // granted before (within its registered scopes; the claims parameter too).
      grant ??= new oidc.provider.Grant({ accountId, clientId: client.clientId });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      const claims = consentableClaims(oidc.requestParamClaims, client.scope);
      if (claims.length > 0) grant.addOIDCClaims(claims);
      for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
        grant.addResourceScope(indicator, server.scope);
      }
      await grant.save();
    }
    if (!grant) return undefined;
    // The grant is the person's remembered consent, which every session of theirs at this client shares:
    // signing out here must not revoke it (nor the tokens other sessions hold under it). This session's own
    // tokens still end with it, being bound to it (expiresWithSession); withdrawing is on the account page.
    oidc.session.ensureClientContainer(client.clientId);
    oidc.session.authorizationFor(client.clientId).persistsLogout = true;
    return grant;
  };
}
