import type { Middleware } from 'koa';
import type { GrantsRepo } from '../../../oidc/grantsRepo.js';
import type { Audit } from '../../../shared/audit.js';
import { FlowExpired, NotFound } from '../../../shared/errors.js';
import { metaOf, seeOther } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';

/** POST /account/grants/:id/revoke: withdraws a consent; the service's tokens under it stop working. */
export function revokeGrant(deps: AccountSessionDeps & { grants: GrantsRepo; audit: Audit }): Middleware {
  return async function revokeGrant(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    const grantId = String(ctx.params.id ?? '');
    if (!(await deps.grants.revoke(session.accountId, grantId))) throw new NotFound();
    await deps.audit.record({
      event: 'consent_revoked',
      accountId: session.accountId,
      ...metaOf(ctx),
      details: { grantId },
    });
    seeOther(ctx, '/account?revoked=1');
  };
}
