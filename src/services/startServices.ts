import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { lossReportService } from './loss-report/lossReportService.js';
import { replacementService } from './replacement/replacementService.js';
import { createRpApp, type RpServiceDefinition } from './shared/createRpApp.js';

export interface RunningService {
  /** where this process listens (the public URL stays config.services.*Url) */
  url: string;
  server: Server;
}

export interface RunningServices {
  lossReport: RunningService;
  replacement: RunningService;
  close(): Promise<void>;
}

/** Starts the two civil-affairs relying parties; they reach Hawiya only over HTTP, as any client would. */
export async function startServices(
  config: Config,
  opts: { logger?: Logger; ports?: { lossReport?: number; replacement?: number } } = {},
): Promise<RunningServices> {
  const logger = opts.logger ?? createLogger({ level: config.logLevel, name: 'hawiya-services' });
  const started: Server[] = [];
  const start = async (o: {
    service: RpServiceDefinition;
    baseUrl: string;
    secret: string;
    port?: number;
  }) => {
    const { app } = createRpApp({
      service: o.service,
      baseUrl: o.baseUrl,
      issuer: config.issuer,
      clientSecret: o.secret,
      logger: logger.child({ service: o.service.clientId }),
      trustProxy: config.trustProxy,
      cacheViews: config.env === 'production',
    });
    const server = createServer(app.callback());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? portOf(o.baseUrl), config.host, () => resolve());
    });
    started.push(server);
    const port = (server.address() as AddressInfo).port;
    logger.info({ service: o.service.clientId, port, url: o.baseUrl }, 'service listening');
    return { url: `http://${config.host}:${port}`, server };
  };

  const close = async () => {
    await Promise.all(
      started.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  };

  try {
    const lossReport = await start({
      service: lossReportService,
      baseUrl: config.services.lossReportUrl,
      secret: config.services.lossReportSecret,
      port: opts.ports?.lossReport,
    });
    const replacement = await start({
      service: replacementService,
      baseUrl: config.services.replacementUrl,
      secret: config.services.replacementSecret,
      port: opts.ports?.replacement,
    });
    return { lossReport, replacement, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function portOf(url: string): number {
  const u = new URL(url);
  if (u.port) return Number(u.port);
  return u.protocol === 'https:' ? 443 : 80;
}
