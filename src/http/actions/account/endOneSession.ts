import type { Middleware } from 'koa';
import type { AccountLogout } from '../../../oidc/createAccountLogout.js';
import type { SessionsRepo } from '../../../oidc/sessionsRepo.js';
import type { Audit } from '../../../shared/audit.js';
import { FlowExpired, NotFound } from '../../../shared/errors.js';
import { metaOf, seeOther } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';

/**
 * POST /account/sessions/:uid/end: signs one device out. That Hawiya session ends with the codes and tokens
 * bound to it; the services that took part in it are told by back-channel logout.
 */
export function endOneSession(
  deps: AccountSessionDeps & {
    sessions: Pick<SessionsRepo, 'listLive'>;
    endSessions: AccountLogout;
    audit: Audit;
  },
): Middleware {
  return async function endOneSession(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    const uid = String(ctx.params.uid ?? '');
    const live = await deps.sessions.listLive(session.accountId);
    if (!live.some((s) => s.uid === uid)) throw new NotFound();
    const meta = metaOf(ctx);
    await deps.endSessions({
      accountId: session.accountId,
      sessionUid: uid,
      actor: 'self',
      inTransaction: (trx, revoked) =>
        deps.audit.record(
          {
            event: 'sessions_revoked',
            accountId: session.accountId,
            ...meta,
            details: { revoked, by: 'self', sessions: 1 },
          },
          trx,
        ),
    });
    seeOther(ctx, '/account?done=sessionEnded#sessions');
  };
}
