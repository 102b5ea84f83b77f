import type { Middleware } from 'koa';
import { translate } from '../../../i18n/messages.js';
import type { AccountLogout } from '../../../oidc/createAccountLogout.js';
import type { Audit } from '../../../shared/audit.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { Renderer } from '../../render.js';
import { localeOf, metaOf } from '../../requestContext.js';
import { type AccountSessionDeps, currentAccountSession } from './currentAccountSession.js';

/**
 * POST /account/sessions/end: "sign out everywhere". Every Hawiya session of the account ends, with the
 * tokens of every service (refresh tokens too); the services that took part are told by back-channel
 * logout (the same operation as `hawiya users logout`). This page's own session ends with them.
 */
export function signOutEverywhere(
  deps: AccountSessionDeps & { endSessions: AccountLogout; audit: Audit; render: Renderer },
): Middleware {
  return async function signOutEverywhere(ctx) {
    const session = await currentAccountSession(deps, ctx);
    if (!session) throw new FlowExpired();
    const meta = metaOf(ctx);
    const result = await deps.endSessions({
      accountId: session.accountId,
      actor: 'self',
      inTransaction: (trx, revoked) =>
        deps.audit.record(
          {
            event: 'sessions_revoked',
            accountId: session.accountId,
            ...meta,
            details: { revoked, by: 'self' },
          },
          trx,
        ),
    });
    await deps.flows.remove(deps.cookie.get(ctx) ?? '');
    deps.cookie.clear(ctx);
    const locale = localeOf(ctx);
    deps.render(ctx, 'message', {
      title: translate(locale, 'sessions.endedTitle'),
      text: translate(locale, 'sessions.ended', { services: result.notified }),
      link: { href: '/', text: translate(locale, 'sessions.home') },
    });
  };
}
