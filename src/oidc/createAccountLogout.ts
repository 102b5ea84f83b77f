import type { Knex } from 'knex';
import type Provider from 'oidc-provider';
import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { revokeAccountArtifacts, revokeSessionArtifacts } from './knexAdapter.js';
import { createSessionsRepo, type SessionParticipant } from './sessionsRepo.js';

export interface AccountLogoutResult {
  /** session, grant and token rows deleted */
  revoked: number;
  /** relying parties that acknowledged a back-channel logout token */
  notified: number;
  /** relying parties that could not be told (logged and audited) */
  failed: number;
}

export type AccountLogout = (input: {
  accountId: string;
  /** who ends the sessions, for the audit trail of failed deliveries (e.g. cli:admin) */
  actor?: string;
  /** only this session (its uid) and what is bound to it: "sign out" of one device */
  sessionUid?: string;
  /** runs in the same transaction, after the rows are deleted (e.g. locking the account, its audit record) */
  inTransaction?: (trx: Knex, revoked: number) => Promise<void>;
}) => Promise<AccountLogoutResult>;

// oidc-provider's own sender of logout tokens, the one /session/end uses: signs with the provider's keys,
// the client's ID token algorithm and subject type (public or pairwise), and POSTs with its fetch and timeout.
type LogoutCapableClient = { backchannelLogout(sub: string, sid: string): Promise<void> };

/** Sends the logout tokens of sessions already ended (see createAccountLogout); never throws. */
export type LogoutNotice = (
  accountId: string,
  participants: SessionParticipant[],
  actor: string | undefined,
) => Promise<Pick<AccountLogoutResult, 'notified' | 'failed'>>;

/**
 * Tells every relying party that took part in ended sessions and registered a `backchannel_logout_uri`
 * (OpenID back-channel logout). A delivery that fails is logged and audited.
 */
export function createLogoutNotice(deps: {
  /** the provider whose keys sign the logout tokens; built lazily where none runs (the CLI) */
  provider: () => Provider | Promise<Provider>;
  audit: Audit;
  logger: Logger;
}): LogoutNotice {
  return async function tell(accountId, participants, actor) {
    if (participants.length === 0) return { notified: 0, failed: 0 };
    const failedOne = async (clientId: string, err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      deps.logger.warn({ err, clientId, accountId }, 'back-channel logout could not be delivered');
      await deps.audit
        .record({
          event: 'backchannel_logout_failed',
          accountId,
          clientId,
          actor,
          details: { error: message },
        })
        .catch((auditErr: unknown) => deps.logger.error({ err: auditErr }, 'audit record failed'));
    };
    let provider: Provider;
    try {
      provider = await deps.provider();
    } catch (err) {
      await Promise.all(participants.map((p) => failedOne(p.clientId, err)));
      return { notified: 0, failed: participants.length };
    }
    const outcomes = await Promise.all(
      participants.map(async ({ clientId, sid }) => {
        try {
          const client = await provider.Client.find(clientId);
          if (!client?.backchannelLogoutUri) return 'none' as const;
          await (client as unknown as LogoutCapableClient).backchannelLogout(accountId, sid);
          return 'sent' as const;
        } catch (err) {
          await failedOne(clientId, err);
          return 'failed' as const;
        }
      }),
    );
    return {
      notified: outcomes.filter((o) => o === 'sent').length,
      failed: outcomes.filter((o) => o === 'failed').length,
    };
  };
}

/**
 * Ends every session of an account everywhere: deletes its sessions, grants and tokens in one transaction,
 * then sends an OpenID back-channel logout token to every client that took part in one of those sessions
 * and registered a `backchannel_logout_uri`. Tokens go out only after the commit, so a relying party never
 * hears of a logout that did not happen; a delivery that fails is logged and audited, and never undoes or
 * delays the revocation itself.
 */
export function createAccountLogout(deps: {
  db: Knex;
  clock: Clock;
  /** the provider whose keys sign the logout tokens; built lazily where none runs (the CLI) */
  provider: () => Provider | Promise<Provider>;
  audit: Audit;
  logger: Logger;
}): AccountLogout {
  const sessions = createSessionsRepo({ db: deps.db, clock: deps.clock });

  const tell = createLogoutNotice(deps);

  return async function endAccountSessions(input) {
    const { participants, revoked } = await deps.db.transaction(async (trx) => {
      const participants = await sessions.participantsOf(input.accountId, trx, input.sessionUid);
      const revoked =
        input.sessionUid === undefined
          ? await revokeAccountArtifacts(trx, input.accountId)
          : await revokeSessionArtifacts(trx, input.accountId, input.sessionUid);
      await input.inTransaction?.(trx, revoked);
      return { participants, revoked };
    });
    return { revoked, ...(await tell(input.accountId, participants, input.actor)) };
  };
}
