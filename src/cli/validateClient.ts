import { exportJWK, generateKeyPair } from 'jose';
import type { Accounts } from '../accounts/createAccounts.js';
import type { Config } from '../config.js';
import type { Db } from '../db/createDb.js';
import type { HawiyaClient } from '../oidc/clientsRepo.js';
import { createClientsRepo } from '../oidc/clientsRepo.js';
import type { OidcPages } from '../oidc/oidcPages.js';
import { providerSettingsOf } from '../oidc/providerSettings.js';
import { serviceResourceServers } from '../oidc/resourceServers.js';
import type { Clock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { CliRefused } from './cliErrors.js';
import { checkClientPolicy } from './clientPolicy.js';

/**
 * Refuses a client Hawiya's policy or oidc-provider would not accept. The second check builds a provider
 * with the server's configuration (createProvider) and asks it to construct the client, exactly as the
 * server does when the client first shows up. The throwaway signing key never leaves this process.
 */
export async function validateClient(opts: {
  client: HawiyaClient;
  config: Config;
  db: Db;
  clock: Clock;
}): Promise<void> {
  const { client, config } = opts;
  const resourceServers = serviceResourceServers(config);
  const problems = checkClientPolicy({
    client,
    production: config.env === 'production',
    resources: resourceServers.map((r) => r.indicator),
  });
  if (problems.length > 0) throw new CliRefused(`client refused:\n  - ${problems.join('\n  - ')}`);

  // Loaded here only: importing oidc-provider is slow and warns on some runtimes.
  const { createProvider } = await import('../oidc/createProvider.js');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const provider = createProvider({
    settings: providerSettingsOf(config),
    db: opts.db,
    clock: opts.clock,
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'validation-only', alg: 'ES256', use: 'sig' }] },
    // Constructing a client never looks up accounts or renders pages.
    accounts: {} as Accounts,
    clients: createClientsRepo({ db: opts.db, clock: opts.clock }),
    resourceServers,
    pages: {} as OidcPages,
    logger: createLogger({ level: 'silent' }),
  });
  try {
    await provider.Client.validate(client);
  } catch (err) {
    const e = err as { error_description?: string; message?: string };
    throw new CliRefused(`client refused by the OpenID provider: ${e.error_description ?? e.message}`);
  }
}
