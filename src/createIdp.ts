import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import type { Config } from './config.js';
import { createCore } from './core/createCore.js';
import type { Db } from './db/createDb.js';
import { migrateLatest } from './db/migrate.js';
import { createAccountRp } from './http/actions/account/accountRp.js';
import { createIdpApp } from './http/createIdpApp.js';
import { createOidcPages } from './http/oidcPages.js';
import { createRenderer } from './http/render.js';
import { flowCookie } from './http/requestContext.js';
import type { KeyStore } from './keys/index.js';
import { accountClient, accountClientSecret } from './oidc/accountClient.js';
import { createDisclosuresRepo } from './oidc/disclosuresRepo.js';
import { serviceClients } from './oidc/index.js';
import { createSessionDevicesRepo } from './oidc/sessionDevicesRepo.js';
import { seedDemoPersons } from './registry/index.js';
import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { SERVICES } from './shared/serviceRegistry.js';

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
  // Assigned below, before any request or account operation can need it.
  let provider!: Provider;
  const core = createCore(config, {
    clock: opts.clock,
    logger: opts.logger,
    // Ending an account's sessions tells every relying party that held one (back-channel logout), with the
    // keys of the provider serving at that moment.
    provider: () => provider,
  });
  const { db, logger, clients, keyStore, notifier } = core;
  await migrateLatest(db);
  if (config.seedDemo) await seedDemoPersons(core.registry);
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
  await keyStore.ensureKeys();

  const render = createRenderer({ cache: config.env === 'production' });
  const pages = createOidcPages(render);
  const build = () => core.buildProvider(pages);
  provider = await build();
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
    accounts: core.accounts,
    flows: core.flows,
    audit: core.audit,
    render,
    outbox: config.env !== 'production' ? notifier.outbox : undefined,
    registerCookie: flowCookie('hawiya.reg', config.issuer.startsWith('https://')),
    resetCookie: flowCookie('hawiya.reset', config.issuer.startsWith('https://')),
    links: SERVICES.map((s) => ({ name: s.name, url: config.services[s.id].url })),
    account: {
      rp: createAccountRp({ issuer: config.issuer, secret: accountSecret }),
      cookie: flowCookie('hawiya.acct', config.issuer.startsWith('https://')),
      grants: core.grants,
      clients,
      sessions: core.sessions,
      disclosures: createDisclosuresRepo(core.db),
      sessionDevices: createSessionDevicesRepo(core.db),
      auditLog: core.auditLog,
      endSessions: core.endAccountSessions,
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
    core
      .purgeExpired()
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
      await core.close();
    },
  };
}
