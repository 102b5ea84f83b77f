import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { createDb, type Db } from '../db/createDb.js';
import { databaseProblems } from '../db/databaseReadiness.js';
import { migrateLatest } from '../db/migrate.js';
import type { Metrics } from '../metrics/createMetrics.js';
import { requestMetrics } from '../metrics/requestMetrics.js';
import { createNotifier } from '../notify/index.js';
import { seedDevOffices } from '../replacements/devOffices.js';
import { createHolidaysRepo } from '../replacements/holidaysRepo.js';
import { createOfficesRepo } from '../replacements/officesRepo.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { gracefulServer } from '../shared/gracefulServer.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { SERVICES, type ServiceId } from '../shared/serviceRegistry.js';
import { lossReportService } from './loss-report/lossReportService.js';
import { replacementService } from './replacement/replacementService.js';
import { createRpApp, type RpApp } from './shared/createRpApp.js';
import { createDpopProofs } from './shared/dpopProofsRepo.js';
import { createRpLogins } from './shared/rpLoginsRepo.js';
import type { RpService } from './shared/rpService.js';
import { createRpSessions } from './shared/rpSessionsRepo.js';

/** Every registry descriptor has its service here: a missing one is a type error. */
const IMPLEMENTATIONS: Record<ServiceId, RpService> = {
  'loss-report': lossReportService,
  replacement: replacementService,
};

export interface RunningService {
  /** where this process listens (the public URL stays config.services[id].url) */
  url: string;
  server: Server;
  rp: RpApp;
}

export interface RunningServices {
  byId: Record<ServiceId, RunningService>;
  db: Db;
  close(): Promise<void>;
}

const PURGE_MS = 10 * 60 * 1000;

/**
 * Starts the civil-affairs relying parties of the registry; they reach Hawiya only over HTTP, as any client
 * would, and keep their sessions in the database (DATABASE_URL), so several processes may serve one service.
 */
export async function startServices(
  config: Config,
  opts: {
    logger?: Logger;
    clock?: Clock;
    ports?: Partial<Record<ServiceId, number>>;
    /** false: no scheduled sweeps (tests that run them themselves) */
    background?: boolean;
    /** the process's metrics: each service's request latency and the services' database pool */
    metrics?: Metrics;
  } = {},
): Promise<RunningServices> {
  const logger = opts.logger ?? createLogger({ level: config.logLevel, name: 'hawiya-services' });
  const clock = opts.clock ?? systemClock;
  const db = createDb(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  const notifier = createNotifier({ config, logger });
  opts.metrics?.watchPool('services', db);
  const started: ReturnType<typeof gracefulServer>[] = [];
  const apps: RpApp[] = [];
  let purge: NodeJS.Timeout | undefined;
  let draining = false;
  const readiness = async () => (draining ? ['shutting down'] : databaseProblems(db));

  // Graceful: /readyz says shutting down, no new connections, requests in flight finish, then the pool closes.
  const close = async () => {
    draining = true;
    if (purge) clearInterval(purge);
    for (const rp of apps) rp.stop();
    const cut = await Promise.all(started.map((s) => s.stop(config.shutdownGraceSeconds * 1000)));
    if (cut.some((c) => c.cut > 0)) logger.warn({ cut }, 'requests still running at the end of the grace');
    notifier.close();
    await db.destroy();
  };

  try {
    // Safe beside the identity provider doing the same: knex takes a lock.
    await migrateLatest(db);
    if (config.seedDemo) {
      await seedDevOffices({
        offices: createOfficesRepo({ db, clock }),
        holidays: createHolidaysRepo({ db, clock }),
        clock,
      });
    }
    const byId = {} as Record<ServiceId, RunningService>;
    for (const descriptor of SERVICES) {
      const service = IMPLEMENTATIONS[descriptor.id];
      const { url: baseUrl, clientSecret } = config.services[descriptor.id];
      const rp = createRpApp({
        service,
        db,
        baseUrl,
        issuer: config.issuer,
        clientSecret,
        logger: logger.child({ service: descriptor.id }),
        clock,
        trustProxy: config.trustProxy,
        trustProxyHops: config.trustProxyHops,
        cacheViews: config.env === 'production',
        notifier,
        readiness,
        background: opts.background,
        requestMetrics: opts.metrics && requestMetrics(opts.metrics, descriptor.id),
        serviceUrls: Object.fromEntries(SERVICES.map((s) => [s.id, config.services[s.id].url])),
      });
      apps.push(rp);
      const server = createServer(rp.app.callback());
      const graceful = gracefulServer(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.ports?.[descriptor.id] ?? portOf(baseUrl), config.host, () => resolve());
      });
      started.push(graceful);
      const port = (server.address() as AddressInfo).port;
      logger.info({ service: descriptor.id, port, url: baseUrl }, 'service listening');
      byId[descriptor.id] = { url: `http://${config.host}:${port}`, server, rp };
    }
    purge = setInterval(() => {
      purgeExpired(db, clock)
        .then((n) => logger.info({ purged: n }, 'expired service sessions purged'))
        .catch((err) => logger.error({ err }, 'service purge failed'));
    }, PURGE_MS);
    purge.unref();
    return { byId, db, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Deletes expired sessions and pending sign-ins of every service, and DPoP proofs too old to replay. */
async function purgeExpired(
  db: Db,
  clock: Clock,
): Promise<{ sessions: number; logins: number; dpopProofs: number }> {
  let sessions = 0;
  let logins = 0;
  for (const s of SERVICES) {
    sessions += await createRpSessions({ db, clock, service: s.id }).purgeExpired();
    logins += await createRpLogins({ db, clock, service: s.id }).purgeExpired();
  }
  const dpopProofs = await createDpopProofs({ db, clock }).purgeExpired();
  return { sessions, logins, dpopProofs };
}

function portOf(url: string): number {
  const u = new URL(url);
  if (u.port) return Number(u.port);
  return u.protocol === 'https:' ? 443 : 80;
}
