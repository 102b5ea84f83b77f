import type { Knex } from 'knex';
import type { Account } from '../accounts/accountsRepo.js';
import type { AccountLogoutResult } from '../oidc/createAccountLogout.js';
import type { AuditEvent } from '../shared/audit.js';
import type { CliContext } from './cliContext.js';

/**
 * Ends every session, grant and token of an account, runs `before` (e.g. locking the account) and audits
 * `event`, in one transaction; then every relying party that held one of its sessions gets
 * a back-channel logout token. A relying party that cannot be told is audited, and the sessions end anyway.
 */
export async function endAccountSessions(opts: {
  ctx: CliContext;
  account: Account;
  event: AuditEvent;
  before?: (trx: Knex) => Promise<void>;
}): Promise<AccountLogoutResult> {
  const { ctx, account } = opts;
  return ctx.core.endAccountSessions({
    accountId: account.id,
    actor: ctx.actor,
    inTransaction: async (trx, revoked) => {
      await opts.before?.(trx);
      await ctx.audit.record(
        {
          event: opts.event,
          actor: ctx.actor,
          accountId: account.id,
          nationalId: account.nationalId,
          details: { revoked },
        },
        trx,
      );
    },
  });
}

/** "N session/grant/token row(s) ended", and how the relying parties were told. */
export function describeEnded(result: AccountLogoutResult): string {
  const told =
    result.notified + result.failed === 0
      ? ''
      : `; back-channel logout sent to ${result.notified} relying part${result.notified === 1 ? 'y' : 'ies'}` +
        (result.failed > 0 ? `, ${result.failed} could not be reached (see the audit trail)` : '');
  return `${result.revoked} session/grant/token row(s) ended${told}`;
}
