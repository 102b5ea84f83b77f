import { allowInsecureRequests, ClientSecretBasic, type Configuration, discovery } from 'openid-client';
import { createReplacements } from '../replacements/createReplacements.js';
import { createLossReportsApi } from '../replacements/lossReportsApi.js';
import { REFUSAL_TEXT, ReplacementRefused } from '../replacements/replacementErrors.js';
import { createStaffDesk } from '../replacements/staffDesk.js';
import { createLogger } from '../shared/logger.js';
import { serviceUris } from '../shared/serviceRegistry.js';
import type { CliContext } from './cliContext.js';
import { CliRefused } from './cliErrors.js';

/**
 * The replacement service's domain for the office staff's commands: the same tables and rules as its pages
 * (src/replacements/), and, to close a loss report once its replacement is collected, the loss-report API
 * with the replacement service's own client credentials, as the service itself would.
 */
export function replacementDesk(ctx: CliContext) {
  const { config } = ctx;
  const logger = createLogger({ level: 'silent' });
  const domain = { db: ctx.db, clock: ctx.clock, audit: ctx.audit, notifier: ctx.core.notifier, logger };
  const replacements = createReplacements(domain);
  const secret = config.services.replacement.clientSecret;
  let configuration: Promise<Configuration> | undefined;
  const lossReports = createLossReportsApi({
    api: serviceUris(config.services['loss-report'].url).apiResource,
    configuration: () => {
      configuration ??= discovery(new URL(config.issuer), 'replacement', secret, ClientSecretBasic(secret), {
        timeout: 5,
        ...(config.issuer.startsWith('http://') ? { execute: [allowInsecureRequests] } : {}),
      });
      return configuration;
    },
    logger,
    now: () => ctx.clock.now(),
  });
  return { replacements, desk: createStaffDesk({ ...domain, replacements, lossReports }) };
}

/** A refused step as the CLI says it: one line, exit 1. */
export async function refusedAsCli<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ReplacementRefused) throw new CliRefused(REFUSAL_TEXT[err.refusal]);
    throw err;
  }
}
