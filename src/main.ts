import cluster from 'node:cluster';
import { type Config, ConfigError, loadConfig } from './config.js';
import { type MetricsServer, type Scrape, startMetricsServer } from './metrics/metricsServer.js';
import { createLogger, type Logger } from './shared/logger.js';
import { boundHeapGrowth, mallocEnvFor, withServerFlags } from './shared/memorySettings.js';
import { SERVICES } from './shared/serviceRegistry.js';

// Composition root: `npm start` runs the IdP and both civil-affairs services (and, in development, the
// dev mailbox at /dev/outbox on the IdP). With WORKERS=N above 1 (default: the number of cores), a primary
// process forks N workers that share the ports (node:cluster), the first alone until it has prepared the
// database (migrations, seed, first keys); everything a person depends on is in the database, so any worker
// serves any request.
function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`hawiya: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** One serving process: IdP and services, stopped gracefully on SIGTERM or SIGINT. */
async function serve(config: Config, logger: Logger): Promise<void> {
  // Imported here, not at the top: a cluster's primary never serves and so never loads them (README Performance).
  const [{ startIdp }, { startServices }, { answerClusterScrapes, registryScrape }, { createMetrics }] =
    await Promise.all([
      import('./createIdp.js'),
      import('./services/startServices.js'),
      import('./metrics/clusterMetrics.js'),
      import('./metrics/createMetrics.js'),
    ]);
  const metrics = config.metrics ? createMetrics() : undefined;
  // A worker's counts reach the scrape through the primary (answering from the start, so that a scrape
  // never waits on a worker still starting); a single process serves its own.
  if (metrics && cluster.isWorker) answerClusterScrapes(metrics.registry);
  const idp = await startIdp(config, { logger, metrics });
  const services = await startServices(config, { logger, metrics });
  let metricsServer: MetricsServer | undefined;
  if (metrics && !cluster.isWorker)
    metricsServer = await serveMetrics(config, registryScrape(metrics.registry), logger);
  logger.info(
    {
      idp: config.issuer,
      services: Object.fromEntries(SERVICES.map((s) => [s.id, config.services[s.id].url])),
    },
    config.env === 'development'
      ? `ready: open ${config.issuer} (dev mailbox: ${config.issuer}/dev/outbox)`
      : 'ready',
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping: finishing requests in flight');
    await Promise.all([services.close(), idp.close(), metricsServer?.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The primary of a cluster: starts one worker, then the others, keeps them running, stops them all. */
async function supervise(config: Config, logger: Logger): Promise<void> {
  // Each worker starts with the memory settings (README Performance), unless the operator chose otherwise.
  cluster.setupPrimary({ execArgv: withServerFlags(process.execArgv, process.env.NODE_OPTIONS) });
  const workerEnv = mallocEnvFor(process.env);
  const fork = () => cluster.fork(workerEnv);
  // The first worker prepares the database (migrations, demo seed, built-in clients, first signing keys)
  // as it starts, alone; the others start once it listens, so none races it. The primary only supervises,
  // so it never loads the IdP's modules (about 50 MiB less resident memory than preparing here).
  const first = fork();
  await new Promise<void>((resolve, reject) => {
    first.once('listening', () => resolve());
    first.once('exit', (code) =>
      reject(new Error(`the first worker exited (${code}) before serving: see its log`)),
    );
  });
  if (config.metrics) {
    const { clusterScrape } = await import('./metrics/clusterMetrics.js');
    await serveMetrics(config, clusterScrape(), logger);
  }
  let stopping = false;
  for (let i = 1; i < config.workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'worker died: starting another');
    fork();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.info({ workers: config.workers }, 'stopping every worker');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  logger.info({ workers: config.workers }, 'primary started its workers');
}

/** The metrics listener (METRICS_PORT): never on the public ports; with METRICS_TOKEN, bearer only. */
async function serveMetrics(config: Config, scrape: Scrape, logger: Logger): Promise<MetricsServer> {
  const settings = config.metrics as NonNullable<Config['metrics']>;
  const server = await startMetricsServer({ scrape, ...settings });
  logger.info({ url: server.url, bearer: settings.token !== undefined }, 'metrics listening');
  return server;
}

async function main(): Promise<void> {
  const config = configOrExit();
  boundHeapGrowth();
  const logger = createLogger({ level: config.logLevel, sync: config.logSync });
  if (config.workers > 1 && cluster.isPrimary) await supervise(config, logger);
  else await serve(config, config.workers > 1 ? logger.child({ worker: cluster.worker?.id }) : logger);
}

main().catch((err) => {
  process.stderr.write(`hawiya: could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
