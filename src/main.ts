import cluster from 'node:cluster';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createIdp, startIdp } from './createIdp.js';
import { startServices } from './services/startServices.js';
import { createLogger, type Logger } from './shared/logger.js';
import { SERVICES } from './shared/serviceRegistry.js';

// Composition root: `npm start` runs the IdP and both civil-affairs services (and, in development, the
// dev mailbox at /dev/outbox on the IdP). With WORKERS=N above 1 (default: the number of cores), a primary
// process prepares the database once (migrations, seed, first keys) and forks N workers that share the
// ports (node:cluster); everything a person depends on is in the database, so any worker serves any request.
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
  const idp = await startIdp(config, { logger });
  const services = await startServices(config, { logger });
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
    await Promise.all([services.close(), idp.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The primary of a cluster: prepares the database once, keeps `workers` workers running, stops them all. */
async function supervise(config: Config, logger: Logger): Promise<void> {
  // Migrations, demo seed, built-in clients and the first signing keys, once, before any worker races for them.
  await (await createIdp(config, { logger })).close();
  let stopping = false;
  for (let i = 0; i < config.workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'worker died: starting another');
    cluster.fork();
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

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger({ level: config.logLevel });
  if (config.workers > 1 && cluster.isPrimary) await supervise(config, logger);
  else await serve(config, config.workers > 1 ? logger.child({ worker: cluster.worker?.id }) : logger);
}

main().catch((err) => {
  process.stderr.write(`hawiya: could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
