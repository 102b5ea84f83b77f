import { ConfigError, loadConfig } from './config.js';
import { startIdp } from './createIdp.js';
import { startServices } from './services/startServices.js';
import { createLogger } from './shared/logger.js';
import { SERVICES } from './shared/serviceRegistry.js';

// Composition root: `npm start` runs the IdP and both civil-affairs services (and, in development, the
// dev mailbox at /dev/outbox on the IdP).
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`hawiya: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
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
    await services.close();
    await idp.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`hawiya: could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
