import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Audit } from '../shared/audit.js';
import type { Logger } from '../shared/logger.js';

/**
 * Records every sign-out at the IdP (oidc-provider's end_session success) in the audit trail: whose
 * session, from which client, from where (checklist 43).
 */
export function auditSignOut(provider: Provider, deps: { audit: Audit; logger: Logger }): void {
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    const requestId = ctx.res.getHeader('x-request-id');
    deps.audit
      .record({
        event: 'logout',
        accountId: ctx.oidc.session?.accountId ?? null,
        clientId: ctx.oidc.client?.clientId ?? null,
        ip: ctx.ip,
        userAgent: ctx.get('user-agent') || null,
        requestId: typeof requestId === 'string' ? requestId : null,
        // "yes": the whole IdP session ended; otherwise only the asking client's part of it
        details: { everywhere: Boolean(ctx.oidc.params?.logout) },
      })
      .catch((err: unknown) => deps.logger.error({ err }, 'the sign-out could not be audited'));
  });
}
