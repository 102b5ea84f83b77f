import type { Middleware } from 'koa';
import { FlowExpired, NotFound } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';
import { metaOf, seeOther } from '../../requestContext.js';
import { currentAccountSession } from './currentAccountSession.js';

/** POST /account/grants/:id/revoke: withdraws a consent; the service's tokens under it stop working. */
export function revokeGrant(deps: IdpDeps): Middleware {
  return async function revokeGrant(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    const grantId = String(ctx.params.id ?? '');
    if (!(await deps.account.grants.revoke(session.accountId, grantId))) throw new NotFound();
    await deps.audit.record({
      event: 'consent_revoked',
      accountId: session.accountId,
      ...metaOf(ctx),
      details: { grantId },
    });
    seeOther(ctx, '/account?revoked=1');
  };
}
