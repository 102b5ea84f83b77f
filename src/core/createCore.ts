import { availableParallelism } from 'node:os';
import type Provider from 'oidc-provider';
import { boundedHasher } from '../accounts/boundedHasher.js';
import { type Accounts, createAccounts } from '../accounts/createAccounts.js';
import { createPasswordHasher } from '../accounts/passwordHasher.js';
import type { Config } from '../config.js';
import { answerWritesHeld } from '../db/answerWrites.js';
import { createDb, type Db } from '../db/createDb.js';
import { createPreparedStatements } from '../db/preparedStatements.js';
import { createFlowsRepo, type FlowsRepo } from '../flows/flowsRepo.js';
import { translate } from '../i18n/messages.js';
import { createKeyStore, type KeyStore } from '../keys/index.js';
import { createNotifier, type DevOutbox, type Notifier } from '../notify/index.js';
import { type ClientsFreshness, createClientsFreshness } from '../oidc/clientsFreshness.js';
import { type ClientsRepo, createClientsRepo } from '../oidc/clientsRepo.js';
import { type AccountLogout, createAccountLogout, createLogoutNotice } from '../oidc/createAccountLogout.js';
import { createGrantsRepo, type GrantsRepo } from '../oidc/grantsRepo.js';
import { createIssuedArtifactsRepo } from '../oidc/issuedArtifactsRepo.js';
import { purgeExpiredOidc } from '../oidc/knexAdapter.js';
import type { OidcPages } from '../oidc/oidcPages.js';
import { plainPages } from '../oidc/plainPages.js';
import { providerSettingsOf } from '../oidc/providerSettings.js';
import { serviceResourceServers } from '../oidc/resourceServers.js';
import { createSessionDevicesRepo } from '../oidc/sessionDevicesRepo.js';
import { createSessionsRepo, type SessionsRepo } from '../oidc/sessionsRepo.js';
import { createOtp, type Otp } from '../otp/index.js';
import { createRegistryRepo, type RegistryRepo } from '../registry/index.js';
import { type Audit, type AuditEntry, createAudit } from '../shared/audit.js';
import { type AuditRepo, createAuditRepo } from '../shared/auditRepo.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { createThrottle, type Throttle } from '../throttle/createThrottle.js';

/** The domain, built once from a configuration: the server, the CLI and operations code all use it. */
export interface Core {
  config: Config;
  clock: Clock;
  logger: Logger;
  db: Db;
  audit: Audit;
  /** reads the audit trail back (the CLI's tail and export) */
  auditLog: AuditRepo;
  registry: RegistryRepo;
  clients: ClientsRepo;
  grants: GrantsRepo;
  sessions: SessionsRepo;
  keyStore: KeyStore;
  notifier: Notifier & { outbox?: DevOutbox };
  otp: Otp;
  flows: FlowsRepo;
  throttle: Throttle;
  accounts: Accounts;
  /** ends every session, grant and token of an account and tells every relying party that held one */
  endAccountSessions: AccountLogout;
  /**
   * A provider with this configuration and the signing keys in the database now. The server passes its
   * pages; without them the provider only signs (the CLI's back-channel logout tokens).
   */
  buildProvider(pages?: OidcPages): Promise<Provider>;
  /** deletes expired sessions/tokens/interactions, codes, flows and throttle windows; how many of each */
  purgeExpired(): Promise<{ oidc: number; codes: number; flows: number; throttles: number }>;
  /** waits for work done after an answer (codes sent), then closes the mailer and the database */
  close(): Promise<void>;
}

/** How long an emergency rotation waits before sending logout tokens signed with the key it just made. */
const NEW_KEY_SETTLE_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createCore(
  config: Config,
  opts: {
    clock?: Clock;
    logger?: Logger;
    /**
     * The provider whose keys sign logout tokens when an account's sessions end: the server's current one.
     * Without it a signing-only provider is built the first time one is needed.
     */
    provider?: () => Provider | Promise<Provider>;
    /** told of each audit event once it is recorded (the metrics count logins, codes and limits by it) */
    observeAudit?: (entry: AuditEntry) => void;
    /** the server's: client metadata is kept in memory while no client changes (a PostgreSQL LISTEN) */
    cacheClients?: boolean;
  } = {},
): Core {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const db = createDb(config.databaseUrl, {
    sqliteSynchronous: config.sqliteSynchronous,
    sqliteRead: { cacheKiB: config.sqliteReadCacheMiB * 1024, mmapBytes: config.sqliteMmapMiB * 1024 * 1024 },
  });
  const answerWrites = { held: answerWritesHeld, runHeld: createPreparedStatements(db).runHeld };
  const audit = createAudit({ db, logger, clock, answerWrites, observe: opts.observeAudit });
  const registry = createRegistryRepo(db, clock);
  const clients = createClientsRepo({ db, clock });
  const clientsFreshness: ClientsFreshness | undefined = opts.cacheClients
    ? createClientsFreshness({ db, databaseUrl: config.databaseUrl, logger })
    : undefined;
  const keyStore = createKeyStore({
    db,
    dir: config.keysDir,
    encryptionKey: config.keysEncryptionKey,
    clock,
    audit,
    minPublishMs: config.keysMinPublishSeconds * 1000,
    // An emergency rotation with --revoke ends the sessions created while the compromised key signed, and
    // then tells the relying parties that took part in them, as ending an account's sessions does.
    revokeIssuedSince: async (since, trx, actor) => {
      const ended = await createSessionsRepo({ db: trx, clock }).participantsSince(since, trx);
      const rows = await createIssuedArtifactsRepo(trx).revokeIssuedSince(since, trx);
      return {
        rows,
        afterCommit: async () => {
          // The logout tokens are signed with the new key, which no relying party has seen yet: they fetch
          // the JWKS again for an unknown key, but at most so often (Hawiya's services: once a second).
          if (ended.some((e) => e.participants.length > 0)) await sleep(NEW_KEY_SETTLE_MS);
          const told = await Promise.all(ended.map((e) => logoutNotice(e.accountId, e.participants, actor)));
          return {
            notified: told.reduce((n, t) => n + t.notified, 0),
            failed: told.reduce((n, t) => n + t.failed, 0),
          };
        },
      };
    },
  });
  const notifier = createNotifier({ config, logger });
  const otp = createOtp({ db, notifier, clock, settings: config.otp, hmacKey: config.cookieKeys[0] ?? '' });
  const flows = createFlowsRepo({ db, clock });
  const throttle = createThrottle({ db, clock });
  const resourceServers = serviceResourceServers(config);

  async function buildProvider(pages: OidcPages = plainPages): Promise<Provider> {
    // Loaded on first use: importing oidc-provider is slow and warns on Node 20, and most CLI commands
    // never need a provider.
    const { createProvider } = await import('../oidc/createProvider.js');
    const built = createProvider({
      settings: providerSettingsOf(config),
      db,
      clock,
      jwks: await keyStore.loadJwks(),
      accounts,
      clients,
      resourceServers,
      pages,
      logger,
      audit,
      clientsFreshness,
    });
    // Logout tokens that /session/end could not deliver are audited like those of endAccountSessions.
    built.on('backchannel.error', (_ctx, err: Error, client: { clientId: string }, accountId: string) => {
      logger.warn({ err, clientId: client.clientId }, 'back-channel logout could not be delivered');
      audit
        .record({
          event: 'backchannel_logout_failed',
          accountId,
          clientId: client.clientId,
          details: { error: err.message },
        })
        .catch((auditErr: unknown) => logger.error({ err: auditErr }, 'audit record failed'));
    });
    return built;
  }

  let signingProvider: Promise<Provider> | undefined;
  // Built only when some session has a relying party to tell: constructing a provider is not free.
  const logoutSigner = opts.provider ?? (() => (signingProvider ??= buildProvider()));
  const endAccountSessions = createAccountLogout({ db, clock, audit, logger, provider: logoutSigner });
  const logoutNotice = createLogoutNotice({ audit, logger, provider: logoutSigner });

  const accounts = createAccounts({
    db,
    registry,
    otp,
    flows,
    throttle,
    // At most one argon2id run per core: more finish no sooner and each holds ARGON2_MEMORY_KIB.
    hasher: boundedHasher(createPasswordHasher(config.argon2), availableParallelism()),
    audit,
    clock,
    settings: { ...config.throttle, otpTtlSeconds: config.otp.ttlSeconds },
    codeMessage: (purpose, locale) => (code, minutes, channel) => ({
      subject: translate(locale, `code.subject.${purpose}`),
      text:
        channel === 'sms'
          ? config.sms.template.replaceAll('{code}', code).replaceAll('{minutes}', String(minutes))
          : translate(locale, 'code.email', { code, minutes }),
    }),
    notifier,
    noticeMessage: (kind, locale) => ({
      subject: translate(locale, `notice.${kind}.subject`),
      text: translate(locale, `notice.${kind}.text`),
    }),
    revokeSessions: async (accountId) => (await endAccountSessions({ accountId })).revoked,
    passkeys: {
      issuer: config.issuer,
      policy: {
        allowedAaguids: config.passkeys.allowedAaguids,
        trustedRoots: config.passkeys.attestationRoots,
      },
    },
    secretsKey: config.keysEncryptionKey,
  });

  return {
    config,
    clock,
    logger,
    db,
    audit,
    auditLog: createAuditRepo(db),
    registry,
    clients,
    grants: createGrantsRepo({ db, clock }),
    sessions: createSessionsRepo({ db, clock }),
    keyStore,
    notifier,
    otp,
    flows,
    throttle,
    accounts,
    endAccountSessions,
    buildProvider,
    async purgeExpired() {
      const [oidc, codes, flowsPurged, throttles] = await Promise.all([
        // the devices of ended sessions go with them
        purgeExpiredOidc(db, clock.now()).then(
          async (n) => n + (await createSessionDevicesRepo(db).purgeEnded()),
        ),
        otp.purgeExpired(),
        flows.purgeExpired(),
        throttle.purgeExpired(),
      ]);
      return { oidc, codes, flows: flowsPurged, throttles };
    },
    async close() {
      await accounts.idle();
      notifier.close();
      await clientsFreshness?.close();
      await db.destroy();
    },
  };
}
