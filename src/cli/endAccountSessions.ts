import type { Knex } from 'knex';
import type { Account } from '../accounts/accountsRepo.js';
import { revokeAccountArtifacts } from '../oidc/knexAdapter.js';
import type { Audit, AuditEvent } from '../shared/audit.js';

/**
 * Ends every session, grant and token of an account and audits `event`, in one transaction; `before`
 * runs first inside it (e.g. locking the account). Returns how many rows ended.
 */
export async function endAccountSessions(opts: {
  db: Knex;
  audit: Audit;
  actor: string;
  account: Account;
  event: AuditEvent;
  before?: (trx: Knex) => Promise<void>;
}): Promise<number> {
  return opts.db.transaction(async (trx) => {
    await opts.before?.(trx);
    const revoked = await revokeAccountArtifacts(trx, opts.account.id);
    await opts.audit.record(
      {
        event: opts.event,
        actor: opts.actor,
        accountId: opts.account.id,
        nationalId: opts.account.nationalId,
        details: { revoked },
      },
      trx,
    );
    return revoked;
  });
}
