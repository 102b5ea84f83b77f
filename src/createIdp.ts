import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { createAccounts } from './accounts/createAccounts.js';
import { createPasswordHasher } from './accounts/passwordHasher.js';
import type { Config } from './config.js';
import { createDb, type Db } from './db/createDb.js';
import { migrateLatest } from './db/migrate.js';
import { createFlowsRepo } from './flows/flowsRepo.js';
import { createAccountRp } from './http/actions/account/accountRp.js';
import { createIdpApp } from './http/createIdpApp.js';
import { createOidcPages } from './http/oidcPages.js';
import { createRenderer } from './http/render.js';
import { flowCookie } from './http/requestContext.js';
import { translate } from './i18n/messages.js';
import { createKeyStore, type KeyStore } from './keys/index.js';
import { createNotifier } from './notify/index.js';
import { accountClient, accountClientSecret } from './oidc/accountClient.js';
import { createAccountLogout } from './oidc/createAccountLogout.js';
import { createGrantsRepo } from './oidc/grantsRepo.js';
import {
  createClientsRepo,
  createProvider,
  providerSettingsOf,
  purgeExpiredOidc,
  serviceClients,
  serviceResourceServers,
} from './oidc/index.js';
import { createSessionsRepo } from './oidc/sessionsRepo.js';
import { createOtp } from './otp/index.js';
import { createRegistryRepo, seedDemoPersons } from './registry/index.js';
import { createAudit } from './shared/audit.js';
import { type Clock, systemClock } from './shared/clock.js';
import { createLogger, type Logger } from './shared/logger.js';
import { SERVICES } from './shared/serviceRegistry.js';
import { createThrottle } from './throttle/createThrottle.js';

export interface RunningIdp {
  url: string;
  server: Server;
  db: Db;
  keyStore: KeyStore;
  logger: Logger;
  provider(): Provider;
  /** reloads the signing keys now (servers also poll for changes) */
  reloadKeys(): Promise<boolean>;
  close(): Promise<void>;
}

const KEY_POLL_MS = 2000;
const PURGE_MS = 10 * 60 * 1000;

/** The identity provider: migrates, seeds, loads keys, and listens. */
export async function startIdp(
  config: Config,
  opts: { clock?: Clock; logger?: Logger } = {},
): Promise<RunningIdp> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const db = createDb(config.databaseUrl);
  await migrateLatest(db);

  const audit = createAudit({ db, logger, clock });
  const registry = createRegistryRepo(db, clock);
  if (config.seedDemo) await seedDemoPersons(registry);
  const clients = createClientsRepo({ db, clock });
  for (const client of serviceClients(config.services)) {
    // What the configuration owns is refreshed; what an admin changed with the CLI is kept.
    const existing = await clients.find(client.client_id);
    await clients.save(
      existing
        ? {
            ...existing,
            client_secret: client.client_secret,
            redirect_uris: client.redirect_uris,
            post_logout_redirect_uris: client.post_logout_redirect_uris,
            backchannel_logout_uri: client.backchannel_logout_uri,
            allowed_resources: client.allowed_resources,
          }
        : client,
    );
  }

  const accountSecret = accountClientSecret(config.cookieKeys[0] ?? '');
  await clients.save(accountClient({ issuer: config.issuer, secret: accountSecret }));

  const keyStore = createKeyStore({
    db,
    dir: config.keysDir,
    encryptionKey: config.keysEncryptionKey,
    clock,
    audit,
  });
  await keyStore.ensureKeys();

  const notifier = createNotifier({ config, logger });
  const otp = createOtp({ db, notifier, clock, settings: config.otp, hmacKey: config.cookieKeys[0] ?? '' });
  const flows = createFlowsRepo({ db, clock });
  const throttle = createThrottle({ db, clock });
  // Ending an account's sessions tells every relying party that held one (back-channel logout), with the
  // keys of the provider serving at that moment.
  const endAccountSessions = createAccountLogout({ db, clock, audit, logger, provider: () => provider });
  const accounts = createAccounts({
    db,
    registry,
    otp,
    flows,
    throttle,
    hasher: createPasswordHasher(config.argon2),
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
  });

  const render = createRenderer({ cache: config.env === 'production' });
  const pages = createOidcPages(render);
  const resourceServers = serviceResourceServers(config.services);
  const build = async () => {
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
  };
  let provider = await build();
  let keysVersion = await keyStore.version();

  async function reloadKeys(): Promise<boolean> {
    const version = await keyStore.version();
    if (version === keysVersion) return false;
    try {
      provider = await build();
      keysVersion = version;
      logger.info({ keys: version }, 'signing keys reloaded');
      return true;
    } catch (err) {
      // Keep signing with the keys we have rather than stop serving.
      logger.error({ err }, 'signing keys could not be reloaded');
      return false;
    }
  }

  const app = createIdpApp({
    provider: () => provider,
    accounts,
    flows,
    audit,
    render,
    outbox: config.env !== 'production' ? notifier.outbox : undefined,
    registerCookie: flowCookie('hawiya.reg', config.issuer.startsWith('https://')),
    resetCookie: flowCookie('hawiya.reset', config.issuer.startsWith('https://')),
    links: SERVICES.map((s) => ({ name: s.name, url: config.services[s.id].url })),
    account: {
      rp: createAccountRp({ issuer: config.issuer, secret: accountSecret }),
      cookie: flowCookie('hawiya.acct', config.issuer.startsWith('https://')),
      grants: createGrantsRepo({ db, clock }),
      clients,
      sessions: createSessionsRepo({ db, clock }),
    },
    logger,
    issuer: config.issuer,
    trustProxy: config.trustProxy,
    trustProxyHops: config.trustProxyHops,
    keys: [...config.cookieKeys],
  });

  const server = createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const poll = setInterval(() => {
    reloadKeys().catch((err) => logger.error({ err }, 'key poll failed'));
  }, KEY_POLL_MS);
  poll.unref();
  const purge = setInterval(() => {
    const now = clock.now();
    Promise.all([
      purgeExpiredOidc(db, now),
      otp.purgeExpired(),
      flows.purgeExpired(),
      throttle.purgeExpired(),
    ])
      .then((n) => logger.info({ purged: n }, 'expired rows purged'))
      .catch((err) => logger.error({ err }, 'purge failed'));
  }, PURGE_MS);
  purge.unref();

  logger.info({ issuer: config.issuer, port }, 'Hawiya identity provider listening');
  return {
    url: `http://${config.host}:${port}`,
    server,
    db,
    keyStore,
    logger,
    provider: () => provider,
    reloadKeys,
    async close() {
      clearInterval(poll);
      clearInterval(purge);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await accounts.idle();
      notifier.close();
      await db.destroy();
    },
  };
}
