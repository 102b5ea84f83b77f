import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import type { Config } from './config.js';
import { type Core, createCore } from './core/createCore.js';
import { holdingAnswerWrites } from './db/answerWrites.js';
import { type Db, engineOf } from './db/createDb.js';
import { databaseProblems } from './db/databaseReadiness.js';
import { migrateLatest } from './db/migrate.js';
import { listenPg } from './db/pgListener.js';
import { createPreparedStatements } from './db/preparedStatements.js';
import { createAccountRp } from './http/actions/account/accountRp.js';
import { createIdpApp } from './http/createIdpApp.js';
import { createOidcPages } from './http/oidcPages.js';
import { createIdpListener } from './http/protocolApiListener.js';
import { providerHandlers } from './http/providerHandler.js';
import { createRenderer } from './http/render.js';
import { flowCookie } from './http/requestContext.js';
import {
  createKeyScheduler,
  createScheduleLeasesRepo,
  KEY_CHANGES_CHANNEL,
  type KeyScheduler,
  type KeyStore,
} from './keys/index.js';
import { countAuditEvent } from './metrics/auditMetrics.js';
import type { Metrics } from './metrics/createMetrics.js';
import { observeProvider } from './metrics/providerMetrics.js';
import { observeRequest, requestMetrics } from './metrics/requestMetrics.js';
import { watchIdp } from './metrics/watchIdp.js';
import { accountClient, accountClientSecret } from './oidc/accountClient.js';
import { createDisclosuresRepo } from './oidc/disclosuresRepo.js';
import { registryCheckServer, serviceClients } from './oidc/index.js';
import { createSessionDevicesRepo } from './oidc/sessionDevicesRepo.js';
import { seedDemoPersons } from './registry/index.js';
import type { Clock } from './shared/clock.js';
import { gracefulServer } from './shared/gracefulServer.js';
import type { Logger } from './shared/logger.js';
import { SERVICES } from './shared/serviceRegistry.js';

/** The identity provider built from a configuration, serving nothing yet: its Koa app answers requests. */
export interface Idp {
  app: Koa;
  /** what a server hands each request: the protocol API straight to oidc-provider, the rest to `app` */
  listener: RequestListener;
  core: Core;
  db: Db;
  keyStore: KeyStore;
  /** the key schedule (automatic rotation, retirement of previous keys), run by startIdp */
  keySchedule: KeyScheduler;
  logger: Logger;
  provider(): Provider;
  /** reloads the signing keys now, if they changed (servers also follow changes, see startIdp) */
  reloadKeys(): Promise<boolean>;
  /** why this node cannot serve now, for /readyz; empty when ready */
  readiness(): Promise<string[]>;
  /** from now on /readyz answers 503 (shutting down), so the load balancer stops sending requests */
  drain(): void;
  /** waits for work done after an answer, then closes the domain (mailer, database) */
  close(): Promise<void>;
}

/** The identity provider listening on a port, polling for new signing keys and purging expired rows. */
export interface RunningIdp extends Omit<Idp, 'app' | 'listener' | 'core' | 'keySchedule'> {
  url: string;
  server: Server;
  /** graceful: stops accepting, lets requests in flight finish (SHUTDOWN_GRACE_SECONDS), closes the pool */
  close(): Promise<void>;
}

const PURGE_MS = 10 * 60 * 1000;
const KEY_SCHEDULE_MS = 60 * 1000;

/** Builds the identity provider: migrates, seeds, loads keys, and makes the app; no port, no timers. */
export async function createIdp(
  config: Config,
  opts: { clock?: Clock; logger?: Logger; metrics?: Metrics } = {},
): Promise<Idp> {
  const { metrics } = opts;
  // Assigned below, before any request or account operation can need it.
  let provider!: Provider;
  const core = createCore(config, {
    clock: opts.clock,
    logger: opts.logger,
    // Ending an account's sessions tells every relying party that held one (back-channel logout), with the
    // keys of the provider serving at that moment.
    provider: () => provider,
    observeAudit: metrics && ((entry) => countAuditEvent(metrics, entry)),
    cacheClients: true,
  });
  const { db, logger, clients, keyStore, notifier } = core;
  const unwatchKeys = metrics && watchIdp(metrics, core);
  await migrateLatest(db);
  if (config.seedDemo) await seedDemoPersons(core.registry);
  for (const client of serviceClients(config)) {
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
            // The grants and the registry-check scope follow the service's code; other scopes stay as set.
            grant_types: client.grant_types,
            scope: [
              ...new Set([...String(existing.scope ?? '').split(' '), ...String(client.scope).split(' ')]),
            ]
              .filter(Boolean)
              .join(' '),
          }
        : client,
    );
  }
  const accountSecret = accountClientSecret(config.cookieKeys[0] ?? '');
  await clients.save(accountClient({ issuer: config.issuer, secret: accountSecret }));
  await keyStore.ensureKeys();

  const render = createRenderer({ cache: config.env === 'production' });
  // one set per database (createPreparedStatements keeps it): the statements interaction answers hold writes on
  const statements = createPreparedStatements(core.db);
  const pages = createOidcPages(render);
  const build = async () => {
    const built = await core.buildProvider(pages);
    return metrics ? observeProvider(built, metrics) : built;
  };
  provider = await build();
  let keysVersion = await keyStore.version();
  // Set while the key states in the database are ones this node could not load: it reports not-ready, so a
  // load balancer sends its requests to nodes that have them, and signs nothing with the keys it had
  // (its provider endpoints answer 503, discovery and JWKS excepted) until the keys load.
  let keyProblem: string | undefined;
  let draining = false;

  // One reload at a time: a notification, the poll and /readyz may all ask at once. A request made while
  // one runs gets a fresh one after it, so a change committed meanwhile is not missed.
  let reloading: Promise<boolean> | undefined;
  let again: Promise<boolean> | undefined;
  function reloadKeys(): Promise<boolean> {
    if (!reloading) {
      reloading = reloadOnce().finally(() => {
        reloading = undefined;
      });
      return reloading;
    }
    again ??= reloading
      .catch(() => false)
      .then(() => {
        again = undefined;
        return reloadKeys();
      });
    return again;
  }

  async function reloadOnce(): Promise<boolean> {
    const version = await keyStore.version();
    if (version === keysVersion) {
      // The keys this node serves are the database's: a problem of an earlier check is over.
      keyProblem = undefined;
      return false;
    }
    try {
      provider = await build();
      keysVersion = version;
      keyProblem = undefined;
      logger.info({ keys: version }, 'signing keys reloaded');
      return true;
    } catch (err) {
      keyProblem = `signing keys could not be loaded: ${(err as Error).message}`;
      logger.error({ err }, 'signing keys could not be reloaded');
      return false;
    }
  }

  async function readiness(): Promise<string[]> {
    if (draining) return ['shutting down'];
    const problems = await databaseProblems(db);
    if (problems.length === 0) {
      // A key change this node has not loaded yet is loaded now, or named as the problem.
      await reloadKeys().catch((err: Error) => {
        keyProblem = `signing keys could not be checked: ${err.message}`;
      });
    }
    return keyProblem ? [...problems, keyProblem] : problems;
  }

  const providerHandler = providerHandlers(render);
  const app = createIdpApp({
    provider: () => provider,
    providerHandler,
    accounts: core.accounts,
    flows: core.flows,
    audit: core.audit,
    holdAnswerWrites: (body) => holdingAnswerWrites(statements, body),
    render,
    outbox: config.env !== 'production' ? notifier.outbox : undefined,
    registerCookie: flowCookie('hawiya.reg', config.issuer.startsWith('https://')),
    resetCookie: flowCookie('hawiya.reset', config.issuer.startsWith('https://')),
    links: SERVICES.map((s) => ({ name: s.name, url: config.services[s.id].url })),
    registryCheck: {
      registry: core.registry,
      throttle: core.throttle,
      indicator: registryCheckServer(config.issuer).indicator,
    },
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
    readiness,
    logger,
    issuer: config.issuer,
    trustProxy: config.trustProxy,
    trustProxyHops: config.trustProxyHops,
    keys: [...config.cookieKeys],
    requestMetrics: metrics && requestMetrics(metrics, 'idp'),
    keyProblem: () => keyProblem,
  });

  const listener = createIdpListener({
    app: app.callback(),
    provider: () => provider,
    providerHandler,
    keyProblem: () => keyProblem,
    logger,
    https: config.issuer.startsWith('https://'),
    observe: metrics && ((r) => observeRequest(metrics, 'idp', r)),
  });

  return {
    app,
    listener,
    core,
    db,
    keyStore,
    keySchedule: createKeyScheduler({
      keyStore,
      leases: createScheduleLeasesRepo(db),
      clock: core.clock,
      everyMs: config.keysRotateEveryDays * 24 * 60 * 60 * 1000,
      minPublishMs: config.keysMinPublishSeconds * 1000,
      holder: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
      logger,
    }),
    logger,
    provider: () => provider,
    reloadKeys,
    readiness,
    drain: () => {
      draining = true;
    },
    close: () => {
      unwatchKeys?.();
      return core.close();
    },
  };
}

/**
 * Follows the key states: on PostgreSQL a LISTEN connection reloads the keys as soon as a key command
 * commits; the poll (KEYS_POLL_SECONDS) is the fallback, and SQLite's only way. The key schedule runs every
 * minute. Returns what stops them.
 */
function followKeys(idp: Idp, config: Config): () => Promise<void> {
  const { logger } = idp;
  const reload = (why: string) => () => {
    idp.reloadKeys().catch((err) => logger.error({ err, why }, 'key reload failed'));
  };
  const listener =
    engineOf(config.databaseUrl) === 'pg'
      ? listenPg({
          url: config.databaseUrl,
          channel: KEY_CHANGES_CHANNEL,
          onNotify: reload('notification'),
          onState: (up, err) => {
            if (up) logger.info('listening for key changes');
            else logger.warn({ err }, 'key-change notifications lost: reconnecting (the poll goes on)');
          },
        })
      : undefined;
  const poll = setInterval(reload('poll'), config.keysPollSeconds * 1000);
  poll.unref();
  const runSchedule = () => {
    idp.keySchedule
      .tick()
      .then((done) => (done.length > 0 ? idp.reloadKeys() : false))
      .catch((err) => logger.error({ err }, 'key schedule failed'));
  };
  const schedule = setInterval(runSchedule, KEY_SCHEDULE_MS);
  schedule.unref();
  runSchedule();
  return async () => {
    clearInterval(poll);
    clearInterval(schedule);
    await listener?.close();
  };
}

/** The identity provider: built by createIdp, then listening, following key changes and purging. */
export async function startIdp(
  config: Config,
  opts: { clock?: Clock; logger?: Logger; metrics?: Metrics } = {},
): Promise<RunningIdp> {
  const idp = await createIdp(config, opts);
  const { logger } = idp;
  const server = createServer(idp.listener);
  const graceful = gracefulServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const stopFollowingKeys = followKeys(idp, config);
  const purge = setInterval(() => {
    idp.core
      .purgeExpired()
      .then((n) => logger.info({ purged: n }, 'expired rows purged'))
      .catch((err) => logger.error({ err }, 'purge failed'));
  }, PURGE_MS);
  purge.unref();

  logger.info({ issuer: config.issuer, port }, 'Hawiya identity provider listening');
  return {
    url: `http://${config.host}:${port}`,
    server,
    db: idp.db,
    keyStore: idp.keyStore,
    logger,
    provider: idp.provider,
    reloadKeys: idp.reloadKeys,
    readiness: idp.readiness,
    drain: idp.drain,
    async close() {
      await stopFollowingKeys();
      clearInterval(purge);
      idp.drain();
      const { cut } = await graceful.stop(config.shutdownGraceSeconds * 1000);
      if (cut > 0) logger.warn({ cut }, 'requests still running at the end of the shutdown grace were cut');
      await idp.close();
    },
  };
}
