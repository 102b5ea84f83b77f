import type { Knex } from 'knex';
import type Provider from 'oidc-provider';
import type { Account } from '../accounts/accountsRepo.js';
import type { Accounts } from '../accounts/createAccounts.js';
import { createClientsRepo } from '../oidc/clientsRepo.js';
import { type AccountLogoutResult, createAccountLogout } from '../oidc/createAccountLogout.js';
import type { OidcPages } from '../oidc/createProvider.js';
import { serviceResourceServers } from '../oidc/resourceServers.js';
import type { AuditEvent } from '../shared/audit.js';
import { createLogger } from '../shared/logger.js';
import type { CliContext } from './cliContext.js';

/**
 * A provider with the server's configuration and signing keys, only to sign and send back-channel logout
 * tokens from the CLI. Built only when some session has a relying party to tell; importing oidc-provider is
 * slow. Sending logout tokens never looks up accounts or renders pages.
 */
async function logoutProvider(ctx: CliContext): Promise<Provider> {
  const { createProvider, providerSettingsOf } = await import('../oidc/createProvider.js');
  return createProvider({
    settings: providerSettingsOf(ctx.config),
    db: ctx.db,
    clock: ctx.clock,
    jwks: await ctx.keyStore.loadJwks(),
    accounts: {} as Accounts,
    clients: createClientsRepo({ db: ctx.db, clock: ctx.clock }),
    resourceServers: serviceResourceServers(ctx.config.services),
    pages: {} as OidcPages,
    logger: createLogger({ level: 'silent' }),
  });
}

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
  const endAll = createAccountLogout({
    db: ctx.db,
    clock: ctx.clock,
    audit: ctx.audit,
    // the audit table is the record; log lines would mix with the command's output
    logger: createLogger({ level: 'silent' }),
    provider: () => logoutProvider(ctx),
  });
  return endAll({
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
